using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PasswordHashSync.Kerberos;

/// <summary>
/// Writes MIT keytab files, format version 0x0502 (big-endian), as read by MIT <c>kinit -k</c>, <c>klist -k</c>,
/// Heimdal, Samba, Java and Windows <c>ktpass</c>-compatible tools.
/// </summary>
/// <remarks>
/// Layout: the two bytes <c>05 02</c>, then per entry a 32-bit size followed by: 16-bit component count, realm and
/// components as 16-bit-length strings, 32-bit name type, 32-bit timestamp, 8-bit kvno, 16-bit encryption type,
/// 16-bit key length, key bytes, and the 32-bit kvno (which readers prefer when the kvno exceeds 255).
/// The file holds keys in the clear: protect it like the passwords themselves.
/// </remarks>
public static class KeytabWriter
{
    /// <summary>The file format version this writer produces: 0x0502.</summary>
    public const ushort FormatVersion = 0x0502;

    /// <summary>Writes a keytab holding <paramref name="entries"/> to <paramref name="destination"/>.</summary>
    /// <param name="destination">A writable stream.</param>
    /// <param name="entries">The entries, in order.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The keytab would be larger than an array can hold.</exception>
    public static void Write(Stream destination, IEnumerable<KeytabEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(destination);
        byte[] bytes = ToBytes(entries);
        try
        {
            destination.Write(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Writes a keytab file, created or replaced atomically and readable only by its owner (mode 0600 on Unix).
    /// </summary>
    /// <remarks>
    /// The bytes go to a new temporary file beside <paramref name="path"/> (created exclusively, mode 0600), are flushed
    /// to disk, and the file is renamed over <paramref name="path"/>: a reader sees the previous file or the complete
    /// new one, and an existing file of any mode is replaced by a 0600 one. A <paramref name="path"/> that is a symbolic
    /// link is refused (<see cref="IOException"/>), so the keys are never written wherever the link points.
    /// </remarks>
    /// <param name="path">The file path.</param>
    /// <param name="entries">The entries, in order.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The keytab would be larger than an array can hold, or <paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a symbolic link or a folder, or the file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static void WriteFile(string path, IEnumerable<KeytabEntry> entries)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ToBytes(entries);
        string target = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        bool renamed = false;
        try
        {
            if (new FileInfo(target).LinkTarget is not null)
            {
                throw new IOException($"The keytab path '{path}' is a symbolic link; keys are written only to a real path.");
            }
            if (System.IO.Directory.Exists(target))
            {
                throw new IOException($"The keytab path '{path}' is a folder.");
            }
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            // rename(2) replaces the directory entry and never follows a link planted after the check.
            File.Move(temporary, target, overwrite: true);
            renamed = true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            if (!renamed)
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Returns the keytab bytes for <paramref name="entries"/>.</summary>
    /// <param name="entries">The entries, in order.</param>
    /// <returns>A new array holding the file (it contains keys: zero it when done).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> or an entry is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The keytab would be larger than an array can hold.</exception>
    public static byte[] ToBytes(IEnumerable<KeytabEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        KeytabEntry[] list = [.. entries];
        long total = 2;
        foreach (KeytabEntry entry in list)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            total += 4 + GetEntrySize(entry);
        }

        // Each entry may reach 4 GB (65535 components of 65535 bytes), so the sum is taken in 64 bits.
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"The keytab would be {total} bytes, more than one array can hold.", nameof(entries));
        }
        byte[] file = new byte[(int)total];
        BinaryPrimitives.WriteUInt16BigEndian(file, FormatVersion);
        int offset = 2;
        foreach (KeytabEntry entry in list)
        {
            offset += WriteEntry(entry, file.AsSpan(offset));
        }
        return file;
    }

    private static long GetEntrySize(KeytabEntry entry)
    {
        long size = 2 + 2 + Encoding.UTF8.GetByteCount(entry.Realm);
        foreach (string component in entry.NameComponents)
        {
            size += 2 + Encoding.UTF8.GetByteCount(component);
        }
        return size + 4 + 4 + 1 + 2 + 2 + entry.Key.Key.Length + 4;
    }

    private static int WriteEntry(KeytabEntry entry, Span<byte> destination)
    {
        int size = (int)GetEntrySize(entry);
        BinaryPrimitives.WriteInt32BigEndian(destination, size);
        Span<byte> body = destination.Slice(4, size);
        int offset = 0;
        BinaryPrimitives.WriteUInt16BigEndian(body[offset..], (ushort)entry.NameComponents.Count);
        offset += 2;
        offset += WriteCountedString(entry.Realm, body[offset..]);
        foreach (string component in entry.NameComponents)
        {
            offset += WriteCountedString(component, body[offset..]);
        }
        BinaryPrimitives.WriteInt32BigEndian(body[offset..], entry.NameType);
        offset += 4;
        BinaryPrimitives.WriteUInt32BigEndian(body[offset..], (uint)entry.Timestamp.ToUnixTimeSeconds());
        offset += 4;
        // The 8-bit kvno is kept for old readers; the trailing 32-bit kvno is authoritative when it is non-zero.
        body[offset++] = (byte)entry.KeyVersionNumber;
        BinaryPrimitives.WriteUInt16BigEndian(body[offset..], (ushort)entry.Key.EncryptionType);
        offset += 2;
        ReadOnlySpan<byte> key = entry.Key.Key.Span;
        BinaryPrimitives.WriteUInt16BigEndian(body[offset..], (ushort)key.Length);
        offset += 2;
        key.CopyTo(body[offset..]);
        offset += key.Length;
        BinaryPrimitives.WriteUInt32BigEndian(body[offset..], (uint)entry.KeyVersionNumber);
        return 4 + size;
    }

    private static int WriteCountedString(string value, Span<byte> destination)
    {
        int length = Encoding.UTF8.GetBytes(value, destination[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)length);
        return 2 + length;
    }
}
