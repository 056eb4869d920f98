using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Replication.Ntlm;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// Makes the domain controller source's credential from its password file or the environment, once at start.
/// A password file that its group or others may read or write is refused: whoever can read it can replicate every
/// password hash of the domain.
/// </summary>
internal static class DomainControllerCredentialReader
{
    /// <summary>The largest password file accepted, in bytes.</summary>
    public const int MaxPasswordBytes = 64 * 1024;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Reads the password and makes the NTLM credential; every copy of the password is zeroed.</summary>
    /// <param name="options">The validated settings.</param>
    /// <returns>The credential (dispose it to zero its NT hash).</returns>
    /// <exception cref="DataException">The password file is missing, unreadable, readable by others, too long, empty or not UTF-8.</exception>
    public static NtlmCredential Create(DomainControllerSourceOptions options)
    {
        (string userName, string userDomain) = options.SplitUser();
        if (options.PasswordFile is null)
        {
            char[] password = (options.Password ?? string.Empty).ToCharArray();
            try
            {
                return new NtlmCredential(userName, userDomain, password);
            }
            finally
            {
                Array.Clear(password);
            }
        }

        byte[] buffer = new byte[MaxPasswordBytes + 1];
        char[]? chars = null;
        try
        {
            int length = ReadFile(options.PasswordFile, buffer);
            if (length > 0 && buffer[length - 1] == (byte)'\n')
            {
                length--;
                length -= length > 0 && buffer[length - 1] == (byte)'\r' ? 1 : 0;
            }

            if (length == 0)
            {
                throw new DataException($"the password file {options.PasswordFile} is empty; it must hold the password of {userDomain}\\{userName}");
            }

            var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
            try
            {
                chars = new char[utf8.GetCharCount(buffer, 0, length)];
                utf8.GetChars(buffer, 0, length, chars, 0);
            }
            catch (DecoderFallbackException)
            {
                throw new DataException($"the password file {options.PasswordFile} is not valid UTF-8");
            }

            return new NtlmCredential(userName, userDomain, chars);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            if (chars is not null)
            {
                Array.Clear(chars);
            }
        }
    }

    private static int ReadFile(string path, byte[] buffer)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot read the password file {path} (Agent:Source:DomainController:PasswordFile): {e.Message}");
        }

        using (handle)
        {
            if (!OperatingSystem.IsWindows())
            {
                // Checked on the open handle, so a file swapped after the check is not the one read.
                UnixFileMode mode = File.GetUnixFileMode(handle);
                if ((mode & GroupOrOthers) != 0)
                {
                    string octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
                    throw new DataException(string.Create(CultureInfo.InvariantCulture,
                        $"the password file {path} may be read or written by its group or others (mode {octal}); only the agent's user may read it: run chmod 600 '{path}' (or give it as a systemd credential, LoadCredential=)"));
                }
            }

            int length = 0;
            int read;
            while (length < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(length), length)) > 0)
            {
                length += read;
            }

            return length > MaxPasswordBytes
                ? throw new DataException($"the password file {path} is longer than {MaxPasswordBytes} bytes")
                : length;
        }
    }
}
