using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>Bounds-checked little-endian reads over an untrusted blob; every failure is a format exception naming the structure.</summary>
internal ref struct BlobReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _structure;

    public BlobReader(ReadOnlySpan<byte> data, string structure)
    {
        _data = data;
        _structure = structure;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2, "a 16-bit field"));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, "a 32-bit field"));

    public byte ReadByte() => ReadBytes(1, "a byte")[0];

    public ReadOnlySpan<byte> ReadBytes(int count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw Error($"{what} of {count} bytes at offset {Position} runs past the end ({_data.Length} bytes)");
        }

        ReadOnlySpan<byte> result = _data.Slice(Position, count);
        Position += count;
        return result;
    }

    /// <summary>A slice at an absolute offset, checked against the blob.</summary>
    public readonly ReadOnlySpan<byte> Slice(long offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset > _data.Length || length > _data.Length - offset)
        {
            throw Error($"{what} (offset {offset}, length {length}) lies outside the {_data.Length}-byte structure");
        }

        return _data.Slice((int)offset, (int)length);
    }

    public readonly SupplementalCredentialsFormatException Error(string message) => new($"{_structure}: {message}.");

    /// <summary>UTF-16LE to string without replacing lone surrogates, so a round trip is lossless.</summary>
    public static string DecodeUtf16(ReadOnlySpan<byte> bytes, string structure, string what)
    {
        if (bytes.Length % 2 != 0)
        {
            throw new SupplementalCredentialsFormatException($"{structure}: {what} has an odd number of bytes ({bytes.Length}) for UTF-16.");
        }

        // This also decodes Primary:CLEARTEXT: build the string straight from the bytes so no second, unzeroed
        // copy of the password is left behind in a scratch char array.
        if (BitConverter.IsLittleEndian)
        {
            return new string(MemoryMarshal.Cast<byte, char>(bytes));
        }

        var chars = new char[bytes.Length / 2];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]);
        }

        string text = new(chars);
        Array.Clear(chars);
        return text;
    }

    /// <summary>String to UTF-16LE bytes, code unit by code unit.</summary>
    public static byte[] EncodeUtf16(string value)
    {
        byte[] bytes = new byte[value.Length * 2];
        for (int i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), value[i]);
        }

        return bytes;
    }
}
