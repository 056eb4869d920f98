using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PasswordHashSync.Replication.Drsr.Ndr;

/// <summary>
/// Writes NDR 2.0 (C706 chapter 14, MS-RPCE 2.2.5; little-endian, 32-bit) into a growable buffer rented from the
/// shared pool. Alignment is relative to the stub start (offset 0 of this writer). The structure writers call the
/// primitives in pidl's order: a structure's scalars first, then the pointees of its pointers ("buffers") in member
/// order, each pointee written whole.
/// </summary>
/// <remarks>
/// Referent ids follow Samba's <c>ndr_push_unique_ptr</c> (<c>0x00020000 | 4·n</c> for the n-th non-null unique
/// pointer) and <c>ndr_push_ref_ptr</c> (<c>0xAEF1AEF1</c> for an embedded <c>[ref]</c> pointer), so that a request is
/// byte-identical to the one Samba's own client marshals. The buffer is cleared when it returns to the pool.
/// </remarks>
internal sealed class NdrWriter : IDisposable
{
    /// <summary>The referent id Samba writes for an embedded <c>[ref]</c> pointer.</summary>
    public const uint EmbeddedRefReferent = 0xAEF1AEF1;

    private byte[] _buffer;
    private int _length;
    private uint _uniquePointerCount;

    /// <summary>Creates a writer with an initial capacity.</summary>
    /// <param name="initialCapacity">Bytes to rent up front.</param>
    public NdrWriter(int initialCapacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));
    }

    /// <summary>The number of bytes written.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>The bytes written so far, valid until the next write or <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>Pads with zeros to a multiple of <paramref name="alignment"/> from the stub start.</summary>
    /// <param name="alignment">1, 2, 4 or 8.</param>
    public void Align(int alignment)
    {
        int padding = (alignment - (_length % alignment)) % alignment;
        GetSpan(padding).Clear();
        _length += padding;
    }

    /// <summary>Writes a uint8.</summary>
    /// <param name="value">The value.</param>
    public void WriteByte(byte value)
    {
        GetSpan(1)[0] = value;
        _length++;
    }

    /// <summary>Writes an aligned uint16.</summary>
    /// <param name="value">The value.</param>
    public void WriteUInt16(ushort value)
    {
        Align(2);
        BinaryPrimitives.WriteUInt16LittleEndian(GetSpan(2), value);
        _length += 2;
    }

    /// <summary>Writes an aligned uint32.</summary>
    /// <param name="value">The value.</param>
    public void WriteUInt32(uint value)
    {
        Align(4);
        BinaryPrimitives.WriteUInt32LittleEndian(GetSpan(4), value);
        _length += 4;
    }

    /// <summary>Writes an aligned int32.</summary>
    /// <param name="value">The value.</param>
    public void WriteInt32(int value) => WriteUInt32(unchecked((uint)value));

    /// <summary>Writes an aligned hyper (8-byte aligned, as NDR 2.0 requires).</summary>
    /// <param name="value">The value.</param>
    public void WriteInt64(long value)
    {
        Align(8);
        BinaryPrimitives.WriteInt64LittleEndian(GetSpan(8), value);
        _length += 8;
    }

    /// <summary>Writes a GUID (<c>uint32, uint16, uint16, uint8[8]</c>; 4-byte aligned).</summary>
    /// <param name="value">The value.</param>
    public void WriteGuid(Guid value)
    {
        Align(4);
        value.TryWriteBytes(GetSpan(16));
        _length += 16;
    }

    /// <summary>Writes raw bytes without alignment (the elements of a uint8 array).</summary>
    /// <param name="bytes">The bytes.</param>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Writes a unique pointer's referent id: 0 when absent, otherwise the next Samba-style id.</summary>
    /// <param name="present">Whether the pointer is non-null.</param>
    /// <returns><paramref name="present"/>, so the caller can write the pointee in the buffers pass.</returns>
    public bool WriteUniquePointer(bool present)
    {
        if (!present)
        {
            WriteUInt32(0);
            return false;
        }

        WriteUInt32(0x00020000u | (_uniquePointerCount * 4));
        _uniquePointerCount++;
        return true;
    }

    /// <summary>Writes an embedded <c>[ref]</c> pointer's referent id (the pointee follows in the buffers pass).</summary>
    public void WriteEmbeddedRefPointer() => WriteUInt32(EmbeddedRefReferent);

    /// <summary>
    /// Writes a <c>[string, charset(UTF16)]</c> conformant-varying string: max_count, offset 0, actual_count (all
    /// counting the terminating NUL), then the UTF-16LE characters and the NUL.
    /// </summary>
    /// <param name="value">The string, without a NUL.</param>
    public void WriteConformantVaryingString(string value)
    {
        uint count = checked((uint)value.Length + 1);
        WriteUInt32(count);
        WriteUInt32(0);
        WriteUInt32(count);
        WriteUtf16(value);
        WriteUInt16(0);
    }

    /// <summary>Writes UTF-16LE characters (2-byte aligned), no NUL.</summary>
    /// <param name="value">The characters.</param>
    public void WriteUtf16(ReadOnlySpan<char> value)
    {
        Align(2);
        int byteCount = Encoding.Unicode.GetByteCount(value);
        Encoding.Unicode.GetBytes(value, GetSpan(byteCount));
        _length += byteCount;
    }

    /// <summary>Copies the written bytes into a new array.</summary>
    /// <returns>The stub.</returns>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Clears the buffer and returns it to the pool.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Span<byte> GetSpan(int size)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_buffer.Length - _length < size)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(checked(_length + size), checked(_buffer.Length * 2)));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            CryptographicOperations.ZeroMemory(_buffer.AsSpan(0, _length));
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsSpan(_length, size);
    }
}
