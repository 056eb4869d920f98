using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PasswordHashSync.Replication.Kerberos;

/// <summary>
/// Reads MIT keytab files, format 0x0502 (big-endian; the format <c>PasswordHashSync.Kerberos.KeytabWriter</c>,
/// MIT ktutil, Heimdal and Samba write). Per entry: a signed 32-bit size (negative: a hole left by a deleted entry),
/// component count, realm and components as 16-bit-length strings, name type, timestamp, 8-bit kvno, key type, key,
/// and an optional trailing 32-bit kvno that wins when it is non-zero.
/// </summary>
internal static class KeytabReader
{
    /// <summary>The largest keytab file read (an agent's keytab holds a handful of keys).</summary>
    public const int MaxFileLength = 1 << 20;

    /// <summary>One key of the keytab. Dispose to zero the key.</summary>
    /// <param name="Realm">The realm.</param>
    /// <param name="Components">The name components.</param>
    /// <param name="KeyVersion">The key version number.</param>
    /// <param name="EncryptionType">The key's etype.</param>
    /// <param name="Key">The key bytes.</param>
    internal sealed record Entry(string Realm, IReadOnlyList<string> Components, uint KeyVersion, int EncryptionType, byte[] Key) : IDisposable
    {
        /// <summary>The principal as name/components@REALM.</summary>
        public string Principal => string.Join('/', Components) + "@" + Realm;

        /// <inheritdoc />
        public void Dispose() => CryptographicOperations.ZeroMemory(Key);

        /// <inheritdoc />
        public override string ToString() => $"{Principal} kvno {KeyVersion} etype {EncryptionType}";
    }

    /// <summary>Reads a keytab file.</summary>
    /// <exception cref="InvalidDataException">The file is not a 0x0502 keytab or is malformed.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static List<Entry> ReadFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > MaxFileLength)
        {
            throw new InvalidDataException($"The keytab '{path}' is larger than {MaxFileLength} bytes.");
        }

        byte[] data = new byte[stream.Length];
        try
        {
            stream.ReadExactly(data);
            return Read(data);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    /// <summary>Reads keytab bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a 0x0502 keytab or are malformed.</exception>
    public static List<Entry> Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || data[0] != 0x05 || data[1] != 0x02)
        {
            throw new InvalidDataException("Not an MIT keytab of format 0x0502 (the file must start with 05 02).");
        }

        var entries = new List<Entry>();
        int offset = 2;
        try
        {
            while (data.Length - offset >= 4)
            {
                int size = BinaryPrimitives.ReadInt32BigEndian(data[offset..]);
                offset += 4;
                long magnitude = Math.Abs((long)size);
                if (magnitude > data.Length - offset)
                {
                    throw new InvalidDataException("A keytab entry is longer than the rest of the file.");
                }

                if (size > 0)
                {
                    entries.Add(ReadEntry(data.Slice(offset, size)));
                }

                offset += (int)magnitude;
            }

            if (offset != data.Length)
            {
                throw new InvalidDataException("The keytab ends with a partial entry size.");
            }
        }
        catch
        {
            entries.ForEach(e => e.Dispose());
            throw;
        }

        return entries;
    }

    private static Entry ReadEntry(ReadOnlySpan<byte> entry)
    {
        int offset = 0;
        int count = ReadUInt16(entry, ref offset);
        string realm = ReadCountedString(entry, ref offset);
        var components = new List<string>(Math.Min(count, 16));
        for (int i = 0; i < count; i++)
        {
            components.Add(ReadCountedString(entry, ref offset));
        }

        Need(entry, offset, 4 + 4 + 1 + 2 + 2);
        offset += 4; // name type
        offset += 4; // timestamp
        uint keyVersion = entry[offset++];
        int encryptionType = ReadUInt16(entry, ref offset);
        int keyLength = ReadUInt16(entry, ref offset);
        Need(entry, offset, keyLength);
        byte[] key = entry.Slice(offset, keyLength).ToArray();
        offset += keyLength;
        if (entry.Length - offset >= 4)
        {
            uint longVersion = BinaryPrimitives.ReadUInt32BigEndian(entry[offset..]);
            if (longVersion != 0)
            {
                keyVersion = longVersion;
            }
        }

        return new Entry(realm, components, keyVersion, (short)encryptionType, key);
    }

    private static int ReadUInt16(ReadOnlySpan<byte> entry, ref int offset)
    {
        Need(entry, offset, 2);
        int value = BinaryPrimitives.ReadUInt16BigEndian(entry[offset..]);
        offset += 2;
        return value;
    }

    private static string ReadCountedString(ReadOnlySpan<byte> entry, ref int offset)
    {
        int length = ReadUInt16(entry, ref offset);
        Need(entry, offset, length);
        string value = Encoding.UTF8.GetString(entry.Slice(offset, length));
        offset += length;
        return value;
    }

    private static void Need(ReadOnlySpan<byte> entry, int offset, int length)
    {
        if (entry.Length - offset < length)
        {
            throw new InvalidDataException("A keytab entry is truncated.");
        }
    }
}
