using System.Text;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Options;

namespace PasswordHashSync.Cli.Input;

/// <summary>
/// Reads a command's password: <c>--password-stdin</c> (all of standard input, one trailing newline removed),
/// a no-echo prompt when standard input is a terminal, or <c>--password VALUE</c>, which works but warns.
/// An empty password is refused unless <c>--allow-empty-password</c> (issue 13, item 9): an unset variable piped in
/// must not yield a valid-looking hash or keytab.
/// </summary>
internal static class PasswordSource
{
    /// <summary>The largest password read from standard input, in bytes.</summary>
    public const int MaxStdinBytes = 1 << 20;

    /// <summary>Reads the password as the options say.</summary>
    /// <param name="input">The password options.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The password.</returns>
    /// <exception cref="UsageException">Both sources were given, or none and standard input is not a terminal.</exception>
    /// <exception cref="DataException">Standard input is not valid UTF-8 or is too long, or the password is empty without --allow-empty-password.</exception>
    public static string Read(PasswordInput input, CliContext context)
    {
        string password = ReadAny(input, context);
        if (password.Length == 0 && !input.AllowEmpty)
        {
            throw new DataException($"the password is empty (an unset variable?); pass {PasswordOptions.AllowEmptyName} if an empty password is intended");
        }
        return password;
    }

    private static string ReadAny(PasswordInput input, CliContext context)
    {
        if (input.FromStdin && input.Value is not null)
        {
            throw new UsageException($"give either {PasswordOptions.StdinName} or {PasswordOptions.ValueName}, not both");
        }
        if (input.Value is not null)
        {
            context.Error.WriteLine("pwsync: warning: --password exposes the password to other users and to shell history; prefer --password-stdin.");
            return input.Value;
        }
        if (input.FromStdin)
        {
            return ReadStandardInput(context.Input, "password");
        }
        if (context.InputIsTerminal)
        {
            return context.PromptWithoutEcho("Password: ");
        }
        throw new UsageException($"standard input is not a terminal: pass {PasswordOptions.StdinName} to read the password from it");
    }

    /// <summary>Reads all of standard input as UTF-8 (at most <see cref="MaxStdinBytes"/>), one trailing LF or CRLF removed.</summary>
    /// <param name="input">Standard input.</param>
    /// <param name="what">What is read, for messages ("password", "NT hash").</param>
    /// <returns>The text.</returns>
    /// <exception cref="DataException">The input is too long or not valid UTF-8.</exception>
    public static string ReadStandardInput(Stream input, string what)
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
                throw new DataException($"the {what} on standard input is longer than {MaxStdinBytes} bytes");
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
                throw new DataException($"the {what} on standard input is not valid UTF-8");
            }
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
