using System.Buffers.Binary;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// A bounds-checked little-endian cursor over an NDR stub, aligned from the stub start (C706 14.2.2). Every read past
/// the end throws <see cref="RpcProtocolException"/>.
/// </summary>
internal ref struct StubReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    /// <summary>Starts at the stub's first byte.</summary>
    /// <param name="data">The stub.</param>
    public StubReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
    }

    /// <summary>The bytes not read yet.</summary>
    public readonly int Remaining => _data.Length - _offset;

    /// <summary>Reads a u16.</summary>
    /// <returns>The value.</returns>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Read(2));

    /// <summary>Reads a u32.</summary>
    /// <returns>The value.</returns>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Read(4));

    /// <summary>Reads <paramref name="count"/> bytes.</summary>
    /// <param name="count">How many.</param>
    /// <returns>The bytes (a view).</returns>
    public ReadOnlySpan<byte> Read(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new RpcProtocolException("An NDR stub ends before the data it announces.");
        }

        ReadOnlySpan<byte> result = _data.Slice(_offset, count);
        _offset += count;
        return result;
    }

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    /// <param name="count">How many.</param>
    public void Skip(int count) => _ = Read(count);

    /// <summary>Skips to the next multiple of <paramref name="alignment"/> (bytes past the end are not required).</summary>
    /// <param name="alignment">2, 4 or 8.</param>
    public void Align(int alignment) => _offset = Math.Min(_data.Length, (_offset + alignment - 1) & ~(alignment - 1));
}
