using System.Buffers.Binary;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// Little-endian writes into a buffer sized beforehand: the writers compute their exact length first, so a structure
/// is refused before anything is allocated and written once, with no growing list leaving copies of key bytes behind.
/// </summary>
internal ref struct BlobWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;

    public int Position { get; private set; }

    public void Write(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_destination[Position..], value);
        Position += 2;
    }

    public void Write(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_destination[Position..], value);
        Position += 4;
    }

    public void Write(byte value) => _destination[Position++] = value;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[Position..]);
        Position += bytes.Length;
    }

    /// <summary>A string as UTF-16LE, code unit by code unit (lone surrogates kept, for a lossless round trip).</summary>
    public void WriteUtf16(string value)
    {
        foreach (char c in value)
        {
            Write((ushort)c);
        }
    }

    /// <summary>Bytes as ASCII hex digits, upper or lower case.</summary>
    public void WriteHex(ReadOnlySpan<byte> bytes, bool uppercase)
    {
        int letter = (uppercase ? 'A' : 'a') - 10;
        foreach (byte b in bytes)
        {
            int high = b >> 4;
            int low = b & 0xF;
            _destination[Position++] = (byte)(high < 10 ? '0' + high : letter + high);
            _destination[Position++] = (byte)(low < 10 ? '0' + low : letter + low);
        }
    }
}
