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
/// read the file can replicate every password hash of the domain; whoever owns it can change its mode.
/// </summary>
internal static class AgentSecretFile
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Reads at most <paramref name="buffer"/>'s length in bytes of the file into it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What it is, for messages: "password file" or "keytab".</param>
    /// <param name="setting">The setting that names it, for messages.</param>
    /// <param name="buffer">Receives the content; one byte longer than the largest file accepted.</param>
    /// <param name="owner">The uid that must own the file (default: the agent's effective uid; tests name another).</param>
    /// <returns>The number of bytes read (longer than the limit: <paramref name="buffer"/>'s length).</returns>
    /// <exception cref="DataException">The file is missing or unreadable, a symbolic link, readable by others or owned by another user.</exception>
    public static int Read(string path, string what, string setting, byte[] buffer, uint? owner = null)
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
                CheckMode(handle, path, what);
            }

            if (OperatingSystem.IsLinux())
            {
                CheckOwner(handle, path, what, owner ?? NativeMethods.GetEffectiveUserId());
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
    /// <param name="owner">The uid that must own the file (default: the agent's effective uid).</param>
    /// <returns>The content.</returns>
    /// <exception cref="DataException">As <see cref="Read"/>, or the file is longer than <paramref name="maxBytes"/>.</exception>
    public static byte[] ReadAll(string path, string what, string setting, int maxBytes, uint? owner = null)
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
    private static void CheckMode(SafeFileHandle handle, string path, string what)
    {
        UnixFileMode mode = File.GetUnixFileMode(handle);
        if ((mode & GroupOrOthers) != 0)
        {
            string octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
            throw new DataException(string.Create(CultureInfo.InvariantCulture,
                $"the {what} {path} may be read or written by its group or others (mode {octal}); only the agent's user may read it: run chmod 600 '{path}' (or give it as a systemd credential, LoadCredential=)"));
        }
    }

    private static void CheckOwner(SafeFileHandle handle, string path, string what, uint self)
    {
        uint? owner = NativeMethods.GetOwner(handle);
        if (owner is null)
        {
            throw new DataException($"cannot check who owns the {what} {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        if (owner != self)
        {
            throw new DataException(string.Create(CultureInfo.InvariantCulture,
                $"the {what} {path} is owned by uid {owner}, not by the agent's user (uid {self}); its owner could change its mode: run chown {self} '{path}' as root (or give it as a systemd credential, LoadCredential=)"));
        }
    }
}
