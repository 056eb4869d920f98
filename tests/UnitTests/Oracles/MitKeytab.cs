using System.Buffers.Binary;
using System.Text;

namespace PasswordHashSync.UnitTests.Oracles;

/// <summary>
/// A minimal reader of MIT keytab files, format version 0x0502 (krb5 doc/formats/keytab_file_format.rst):
/// a 2-byte version, then records of a signed big-endian 32-bit length (negative = hole) and an entry.
/// Written here, independently of the library, to read what MIT ktutil derived.
/// </summary>
internal static class MitKeytab
{
    internal sealed record Entry(string Principal, int EncryptionType, uint KeyVersion, byte[] Key);

    public static List<Entry> Parse(byte[] file)
    {
        if (file.Length < 2 || file[0] != 0x05 || file[1] != 0x02)
        {
            throw new InvalidDataException($"Not an MIT keytab of version 0x0502 ({file.Length} bytes).");
        }

        var entries = new List<Entry>();
        int offset = 2;
        while (offset + 4 <= file.Length)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
            offset += 4;
            if (size < 0)
            {
                offset += -size;
                continue;
            }

            if (size == 0 || offset + size > file.Length)
            {
                break;
            }

            entries.Add(ParseEntry(file.AsSpan(offset, size)));
            offset += size;
        }

        return entries;
    }

    private static Entry ParseEntry(ReadOnlySpan<byte> entry)
    {
        int position = 0;
        int components = ReadUInt16(entry, ref position);
        string realm = ReadCountedString(entry, ref position);
        var names = new List<string>();
        for (int i = 0; i < components; i++)
        {
            names.Add(ReadCountedString(entry, ref position));
        }

        position += 4; // name type (present in version 2)
        position += 4; // timestamp
        uint keyVersion = entry[position++];
        int encryptionType = ReadUInt16(entry, ref position);
        int keyLength = ReadUInt16(entry, ref position);
        byte[] key = entry.Slice(position, keyLength).ToArray();
        position += keyLength;

        // A 32-bit key version follows when there is room and it is not zero (it supersedes the 8-bit one).
        if (position + 4 <= entry.Length && BinaryPrimitives.ReadUInt32BigEndian(entry[position..]) is uint wide and not 0)
        {
            keyVersion = wide;
        }

        return new Entry(string.Join('/', names) + "@" + realm, encryptionType, keyVersion, key);
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, ref int position)
    {
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
        position += 2;
        return value;
    }

    private static string ReadCountedString(ReadOnlySpan<byte> data, ref int position)
    {
        int length = ReadUInt16(data, ref position);
        string text = Encoding.UTF8.GetString(data.Slice(position, length));
        position += length;
        return text;
    }
}
