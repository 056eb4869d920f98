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

    /// <summary>Writes a keytab file (created or replaced) readable only by its owner where the platform allows it.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="entries">The entries, in order.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The keytab would be larger than an array can hold.</exception>
    public static void WriteFile(string path, IEnumerable<KeytabEntry> entries)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        Write(stream, entries);
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
