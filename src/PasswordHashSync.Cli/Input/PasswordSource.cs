using System.Text;
using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Input;

/// <summary>
/// Where a command gets its password: <c>--password-stdin</c> (all of standard input, one trailing newline removed),
/// a no-echo prompt when standard input is a terminal, or <c>--password VALUE</c>, which works but warns.
/// </summary>
internal static class PasswordSource
{
    /// <summary>The flag that reads the password from standard input.</summary>
    public const string StdinFlag = "--password-stdin";

    /// <summary>The option that takes the password as an argument (visible in the process list: warns).</summary>
    public const string PasswordOption = "--password";

    /// <summary>The help text lines for the password options.</summary>
    public const string HelpText =
        "  --password-stdin     read the password from standard input (one trailing newline is removed)\n" +
        "  --password VALUE     take the password from the command line (discouraged: visible to other users; warns)\n" +
        "  With neither, pwsync prompts without echo when standard input is a terminal.";

    /// <summary>The largest password read from standard input, in bytes.</summary>
    public const int MaxStdinBytes = 1 << 20;

    /// <summary>Reads the password as the options say.</summary>
    /// <param name="arguments">The parsed options.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The password.</returns>
    /// <exception cref="UsageException">Both sources were given, or none and standard input is not a terminal.</exception>
    /// <exception cref="DataException">Standard input is not valid UTF-8 or is too long.</exception>
    public static string Read(ParsedArguments arguments, CliContext context)
    {
        bool fromStdin = arguments.Has(StdinFlag);
        string? given = arguments.Get(PasswordOption);
        if (fromStdin && given is not null)
        {
            throw new UsageException($"give either {StdinFlag} or {PasswordOption}, not both");
        }
        if (given is not null)
        {
            context.Error.WriteLine("pwsync: warning: --password exposes the password to other users and to shell history; prefer --password-stdin.");
            return given;
        }
        if (fromStdin)
        {
            return ReadStandardInput(context.Input);
        }
        if (context.InputIsTerminal)
        {
            return context.PromptWithoutEcho("Password: ");
        }
        throw new UsageException($"standard input is not a terminal: pass {StdinFlag} to read the password from it");
    }

    private static string ReadStandardInput(Stream input)
    {
        byte[] buffer = new byte[MaxStdinBytes + 1];
        try
        {
            int length = 0;
            int read;
            while (length < buffer.Length && (read = input.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }
            if (length > MaxStdinBytes)
            {
                throw new DataException($"the password on standard input is longer than {MaxStdinBytes} bytes");
            }
            if (length > 0 && buffer[length - 1] == (byte)'\n')
            {
                length--;
                if (length > 0 && buffer[length - 1] == (byte)'\r')
                {
                    length--;
                }
            }
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, length);
            }
            catch (DecoderFallbackException)
            {
                throw new DataException("the password on standard input is not valid UTF-8");
            }
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
