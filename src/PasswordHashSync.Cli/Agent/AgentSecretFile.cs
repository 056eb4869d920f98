using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// Reads a secret file of the agent's DomainController source (the password file or the keytab) the one careful
/// way: not through a symbolic link, and only when, checked on the open handle (so a file swapped after the check is
/// not the one read), its group and others have no access and (on Linux) the agent's own user owns it. Whoever can
/// read the file can replicate every password hash of the domain; whoever owns it can change its mode. One more shape
/// is taken: a systemd credential (<c>LoadCredential=</c>) in the service's <c>$CREDENTIALS_DIRECTORY</c>, which
/// systemd on a tmpfs delivers owned by root:root, mode 0440, readable by the service's user through an ACL, on a
/// read-only mount (on ramfs it is chowned to the service's user, mode 0400: the first shape).
/// </summary>
internal static class AgentSecretFile
{
    /// <summary>The environment variable systemd sets to the service's credentials directory.</summary>
    public const string CredentialsDirectoryVariable = "CREDENTIALS_DIRECTORY";

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Reads at most <paramref name="buffer"/>'s length in bytes of the file into it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What it is, for messages: "password file" or "keytab".</param>
    /// <param name="setting">The setting that names it, for messages.</param>
    /// <param name="buffer">Receives the content; one byte longer than the largest file accepted.</param>
    /// <param name="owner">Who must own the file (default: <see cref="SecretFileOwner.Current"/>; tests name another).</param>
    /// <returns>The number of bytes read (longer than the limit: <paramref name="buffer"/>'s length).</returns>
    /// <exception cref="DataException">The file is missing or unreadable, a symbolic link, readable by others or owned by another user.</exception>
    public static int Read(string path, string what, string setting, byte[] buffer, SecretFileOwner? owner = null)
    {
        if (TryGetLinkTarget(path) is string target)
        {
            throw new DataException($"the {what} {path} ({setting}) is a symbolic link (to {target}); give the file itself: a link may be pointed at another file");
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot read the {what} {path} ({setting}): {e.Message}");
        }

        using (handle)
        {
            if (!OperatingSystem.IsWindows())
            {
                CheckAccess(handle, path, what, owner ?? SecretFileOwner.Current());
            }

            int length = 0;
            int read;
            while (length < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(length), length)) > 0)
            {
                length += read;
            }

            return length;
        }
    }

    /// <summary>The whole file as a new array (zero it after use), at most <paramref name="maxBytes"/> long.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What it is, for messages.</param>
    /// <param name="setting">The setting that names it, for messages.</param>
    /// <param name="maxBytes">The largest file accepted.</param>
    /// <param name="owner">Who must own the file (default: <see cref="SecretFileOwner.Current"/>).</param>
    /// <returns>The content.</returns>
    /// <exception cref="DataException">As <see cref="Read"/>, or the file is longer than <paramref name="maxBytes"/>.</exception>
    public static byte[] ReadAll(string path, string what, string setting, int maxBytes, SecretFileOwner? owner = null)
    {
        byte[] buffer = new byte[maxBytes + 1];
        try
        {
            int length = Read(path, what, setting, buffer, owner);
            return length > maxBytes
                ? throw new DataException(string.Create(CultureInfo.InvariantCulture, $"the {what} {path} is longer than {maxBytes} bytes"))
                : buffer[..length];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private static string? TryGetLinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // The open below reports why the file cannot be reached.
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CheckAccess(SafeFileHandle handle, string path, string what, SecretFileOwner expected)
    {
        UnixFileMode mode = File.GetUnixFileMode(handle);
        (uint User, uint Group)? ids = null;
        if (OperatingSystem.IsLinux())
        {
            ids = NativeMethods.GetOwner(handle) ?? throw new DataException($"cannot check who owns the {what} {path}: {Marshal.GetLastPInvokeErrorMessage()}");
            if (IsSystemdCredential(path, mode, ids.Value, expected.CredentialsDirectory))
            {
                return;
            }
        }

        if ((mode & GroupOrOthers) != 0)
        {
            string octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
            throw new DataException(string.Create(CultureInfo.InvariantCulture,
                $"the {what} {path} may be read or written by its group or others (mode {octal}); only the agent's user may read it: run chmod 600 '{path}' (or give it as a systemd credential, LoadCredential=)"));
        }

        if (ids is { } owner && owner.User != expected.User)
        {
            throw new DataException(string.Create(CultureInfo.InvariantCulture,
                $"the {what} {path} is owned by uid {owner.User}, not by the agent's user (uid {expected.User}); its owner could change its mode: run chown {expected.User} '{path}' as root (or give it as a systemd credential, LoadCredential=)"));
        }
    }

    // systemd's ACL delivery: root:root, 0440 or 0400, nothing for others, inside the service's credentials directory.
    private static bool IsSystemdCredential(string path, UnixFileMode mode, (uint User, uint Group) ids, string? credentialsDirectory)
    {
        const UnixFileMode AllowedForGroup = UnixFileMode.GroupRead;
        if (string.IsNullOrEmpty(credentialsDirectory) || ids.User != 0 || ids.Group != 0 || (mode & (GroupOrOthers & ~AllowedForGroup)) != 0)
        {
            return false;
        }

        string directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(credentialsDirectory));
        return string.Equals(Path.GetDirectoryName(Path.GetFullPath(path)), directory, StringComparison.Ordinal);
    }
}

/// <summary>Who may own an agent secret file: the agent's effective user, or root for a systemd credential in <see cref="CredentialsDirectory"/>.</summary>
/// <param name="User">The agent's effective uid.</param>
/// <param name="CredentialsDirectory">The service's systemd credentials directory, or <see langword="null"/> outside systemd.</param>
internal sealed record SecretFileOwner(uint User, string? CredentialsDirectory)
{
    /// <summary>This process: its effective uid (0 where there is no geteuid) and <c>$CREDENTIALS_DIRECTORY</c>.</summary>
    /// <returns>The owner rule.</returns>
    public static SecretFileOwner Current() => new(
        OperatingSystem.IsLinux() ? NativeMethods.GetEffectiveUserId() : 0,
        Environment.GetEnvironmentVariable(AgentSecretFile.CredentialsDirectoryVariable));
}
