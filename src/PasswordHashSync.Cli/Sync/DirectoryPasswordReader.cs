using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// Reads the DC account's password from standard input, a file, the environment variable
/// <see cref="EnvironmentVariable"/> or a no-echo prompt, into a char array the caller zeroes.
/// </summary>
internal static class DirectoryPasswordReader
{
    /// <summary>The environment variable that may hold the password (for service managers that inject secrets so).</summary>
    public const string EnvironmentVariable = "PWSYNC_DC_PASSWORD";

    /// <summary>The largest password file or standard input accepted, in bytes.</summary>
    public const int MaxPasswordBytes = 64 * 1024;

    /// <summary>Reads the password.</summary>
    /// <param name="source">Where from (not <see cref="DirectoryPasswordSource.Keytab"/>).</param>
    /// <param name="file">The file for <see cref="DirectoryPasswordSource.File"/>.</param>
    /// <param name="userName">The account, for the prompt.</param>
    /// <param name="context">The streams, the terminal flag and the prompt.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The password; the caller zeroes it.</returns>
    /// <exception cref="DataException">The password cannot be read, is empty, is too long or is not UTF-8.</exception>
    /// <exception cref="UsageException">No source was named, the variable is unset and standard input is not a terminal.</exception>
    public static char[] Read(DirectoryPasswordSource source, string? file, string userName, CliContext context, Func<string, string?> environment)
    {
        switch (source)
        {
            case DirectoryPasswordSource.StandardInput:
                return ReadStream(context.Input, null);
            case DirectoryPasswordSource.File:
                return ReadStream(null, file);
            case DirectoryPasswordSource.EnvironmentOrPrompt:
                if (environment(EnvironmentVariable) is string fromEnvironment)
                {
                    return fromEnvironment.Length > 0 ? fromEnvironment.ToCharArray() : throw new DataException($"the environment variable {EnvironmentVariable} is empty");
                }

                if (context.InputIsTerminal)
                {
                    return RefuseEmpty(context.PromptWithoutEcho($"Password for {userName}: ").ToCharArray());
                }

                throw new UsageException(
                    $"no password for the DC account: give {DirectorySourceOptions.PasswordStdinFlag}, {DirectorySourceOptions.PasswordFileOption} FILE, " +
                    $"{DirectorySourceOptions.KeytabOption} FILE or the environment variable {EnvironmentVariable}, or run on a terminal to be asked");
            default:
                throw new InvalidOperationException("A keytab holds keys, not a password.");
        }
    }

    // An empty password is almost always an empty file or an unset variable piped in; sending it would only earn
    // a refusal from the DC (and count against the account's lockout threshold), so it is refused here instead.
    private static char[] RefuseEmpty(char[] password) =>
        password.Length > 0 ? password : throw new DataException("the password for the DC account is empty");

    private static char[] ReadStream(Stream? stream, string? path)
    {
        byte[] buffer = new byte[MaxPasswordBytes + 1];
        try
        {
            int length = stream is not null ? ReadAll(stream, buffer) : ReadFile(path!, buffer);
            if (length > MaxPasswordBytes)
            {
                throw new DataException($"the password is longer than {MaxPasswordBytes} bytes");
            }

            if (length > 0 && buffer[length - 1] == (byte)'\n')
            {
                length--;
                length -= length > 0 && buffer[length - 1] == (byte)'\r' ? 1 : 0;
            }

            var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
            try
            {
                char[] password = new char[utf8.GetCharCount(buffer, 0, length)];
                utf8.GetChars(buffer, 0, length, password, 0);
                return RefuseEmpty(password);
            }
            catch (DecoderFallbackException)
            {
                throw new DataException("the password is not valid UTF-8");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private static int ReadFile(string path, byte[] buffer)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return ReadAll(file, buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot read the password file {path}: {e.Message}");
        }
    }

    private static int ReadAll(Stream stream, byte[] buffer)
    {
        int length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        return length;
    }
}
