using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PasswordHashSync.Replication.Drsr.Ndr;

/// <summary>
/// Reads NDR 2.0 (C706 chapter 14, MS-RPCE 2.2.5; little-endian, 32-bit) from a response stub. Alignment is
/// relative to the stub start. Every count and length is checked against the bytes that remain before anything is
/// allocated for it; a violation throws <see cref="DrsProtocolException"/> naming the field.
/// </summary>
/// <remarks>
/// A ref struct over the stub memory: slices handed out by <see cref="ReadMemory"/> point into the stub (no copy),
/// so they live as long as the stub does.
/// </remarks>
internal ref struct NdrReader
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    /// <summary>Creates a reader at the stub start.</summary>
    /// <param name="stub">The whole response stub.</param>
    public NdrReader(ReadOnlyMemory<byte> stub)
    {
        _memory = stub;
        _span = stub.Span;
        _position = 0;
    }

    /// <summary>The offset of the next byte from the stub start.</summary>
    public readonly int Position => _position;

    /// <summary>How many bytes are left.</summary>
    public readonly int Remaining => _span.Length - _position;

    /// <summary>Skips the padding up to a multiple of <paramref name="alignment"/> from the stub start.</summary>
    /// <param name="alignment">2, 4 or 8.</param>
    /// <param name="what">The field that follows, for the error message.</param>
    public void Align(int alignment, string what)
    {
        int padding = (alignment - (_position % alignment)) % alignment;
        Need(padding, what);
        _position += padding;
    }

    /// <summary>Reads a uint8.</summary>
    /// <param name="what">The field, for the error message.</param>
    /// <returns>The value.</returns>
    public byte ReadByte(string what)
    {
        Need(1, what);
        return _span[_position++];
    }

    /// <summary>Reads an aligned uint16.</summary>
    /// <param name="what">The field, for the error message.</param>
    /// <returns>The value.</returns>
    public ushort ReadUInt16(string what)
    {
        Align(2, what);
        Need(2, what);
        ushort value = BinaryPrimitives.ReadUInt16LittleEndian(_span[_position..]);
        _position += 2;
        return value;
    }

    /// <summary>Reads an aligned uint32.</summary>
    /// <param name="what">The field, for the error message.</param>
    /// <returns>The value.</returns>
    public uint ReadUInt32(string what)
    {
        Align(4, what);
        Need(4, what);
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(_span[_position..]);
        _position += 4;
        return value;
    }

    /// <summary>Reads an aligned int32.</summary>
    /// <param name="what">The field, for the error message.</param>
    /// <returns>The value.</returns>
    public int ReadInt32(string what) => unchecked((int)ReadUInt32(what));

    /// <summary>Reads an 8-byte aligned hyper.</summary>
    /// <param name="what">The field, for the error message.</param>
    /// <returns>The value.</returns>
    public long ReadInt64(string what)
    {
        Align(8, what);
        Need(8, what);
        long value = BinaryPrimitives.ReadInt64LittleEndian(_span[_position..]);
        _position += 8;
        return value;
    }

    /// <summary>Reads a GUID (4-byte aligned, 16 bytes).</summary>
    /// <param name="what">The field, for the error message.</param>
    /// <returns>The value.</returns>
    public Guid ReadGuid(string what)
    {
        Align(4, what);
        Need(16, what);
        var value = new Guid(_span.Slice(_position, 16));
        _position += 16;
        return value;
    }

    /// <summary>Reads <paramref name="count"/> raw bytes (no alignment).</summary>
    /// <param name="count">How many bytes.</param>
    /// <param name="what">The field, for the error message.</param>
    /// <returns>A slice of the stub.</returns>
    public ReadOnlySpan<byte> ReadBytes(int count, string what)
    {
        Need(count, what);
        ReadOnlySpan<byte> value = _span.Slice(_position, count);
        _position += count;
        return value;
    }

    /// <summary>Reads <paramref name="count"/> raw bytes as a slice of the stub memory (no copy).</summary>
    /// <param name="count">How many bytes.</param>
    /// <param name="what">The field, for the error message.</param>
    /// <returns>A slice of the stub.</returns>
    public ReadOnlyMemory<byte> ReadMemory(int count, string what)
    {
        Need(count, what);
        ReadOnlyMemory<byte> value = _memory.Slice(_position, count);
        _position += count;
        return value;
    }

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    /// <param name="count">How many bytes.</param>
    /// <param name="what">The field, for the error message.</param>
    public void Skip(int count, string what)
    {
        Need(count, what);
        _position += count;
    }

    /// <summary>Reads a unique (or full) pointer's referent id.</summary>
    /// <param name="what">The pointer, for the error message.</param>
    /// <returns>Whether the pointee follows in the buffers pass.</returns>
    public bool ReadPointer(string what) => ReadUInt32(what) != 0;

    /// <summary>Reads an embedded <c>[ref]</c> pointer's referent id, which must not be null.</summary>
    /// <param name="what">The pointer, for the error message.</param>
    public void ReadRefPointer(string what)
    {
        if (ReadUInt32(what) == 0)
        {
            throw Malformed(what, "is a null [ref] pointer");
        }
    }

    /// <summary>
    /// Reads an element count (a conformance word or a size field) and checks it against the IDL's range and
    /// against the bytes left, given the smallest wire size of one element.
    /// </summary>
    /// <param name="what">The field, for the error message.</param>
    /// <param name="minElementSize">The fewest bytes one element can occupy on the wire (at least 1).</param>
    /// <param name="maximum">The IDL's <c>[range]</c> upper bound.</param>
    /// <returns>The count.</returns>
    public int ReadCount(string what, int minElementSize, uint maximum)
    {
        uint count = ReadUInt32(what);
        CheckCount(count, what, minElementSize, maximum);
        return (int)count;
    }

    /// <summary>Checks a count read earlier against a range and the bytes left.</summary>
    /// <param name="count">The count.</param>
    /// <param name="what">The field, for the error message.</param>
    /// <param name="minElementSize">The fewest bytes one element can occupy.</param>
    /// <param name="maximum">The IDL's upper bound.</param>
    public readonly void CheckCount(uint count, string what, int minElementSize, uint maximum)
    {
        if (count > maximum)
        {
            throw Malformed(what, string.Create(CultureInfo.InvariantCulture, $"is {count}, above the IDL maximum {maximum}"));
        }

        if ((ulong)count * (ulong)Math.Max(minElementSize, 1) > (ulong)Remaining)
        {
            throw Malformed(what, string.Create(CultureInfo.InvariantCulture, $"is {count}, more elements than the {Remaining} bytes left can hold"));
        }
    }

    /// <summary>
    /// Reads a <c>[string, charset(UTF16)]</c> conformant-varying string (max_count, offset, actual_count, then
    /// actual_count UTF-16 units including the terminating NUL).
    /// </summary>
    /// <param name="what">The field, for the error message.</param>
    /// <returns>The string without its NUL.</returns>
    public string ReadConformantVaryingString(string what)
    {
        uint maxCount = ReadUInt32(what);
        uint offset = ReadUInt32(what);
        uint actual = ReadUInt32(what);
        if (offset != 0 || actual > maxCount)
        {
            throw Malformed(what, string.Create(CultureInfo.InvariantCulture, $"has offset {offset} and length {actual} for a maximum of {maxCount}"));
        }

        CheckCount(actual, what, 2, int.MaxValue / 2);
        ReadOnlySpan<byte> bytes = ReadBytes((int)actual * 2, what);
        if (bytes.Length >= 2 && bytes[^1] == 0 && bytes[^2] == 0)
        {
            bytes = bytes[..^2];
        }

        return Encoding.Unicode.GetString(bytes);
    }

    /// <summary>Fails unless the whole stub was consumed.</summary>
    /// <param name="what">The structure, for the error message.</param>
    public readonly void ExpectEnd(string what)
    {
        if (Remaining != 0)
        {
            throw Malformed(what, string.Create(CultureInfo.InvariantCulture, $"is followed by {Remaining} unexpected bytes"));
        }
    }

    /// <summary>Builds the exception for a malformed field at the current position.</summary>
    /// <param name="what">The field.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <returns>The exception to throw.</returns>
    public readonly DrsProtocolException Malformed(string what, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Malformed DRSUAPI reply: {what} {problem} (stub offset {_position})."));

    private readonly void Need(int count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw Malformed(what, string.Create(CultureInfo.InvariantCulture, $"needs {count} bytes but only {Remaining} remain"));
        }
    }
}
