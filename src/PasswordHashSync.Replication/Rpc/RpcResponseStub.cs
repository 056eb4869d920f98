using System.Buffers;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// A reassembled response stub in a pooled buffer or in its connection's reused buffer
/// (<see cref="RpcReassemblyBuffer"/>). Replies carry encrypted secrets, so the buffer is cleared when it goes back.
/// </summary>
internal sealed class RpcResponseStub : IDisposable
{
    private readonly int _length;
    private readonly RpcReassemblyBuffer? _owner;
    private byte[]? _buffer;

    /// <summary>Wraps <paramref name="length"/> bytes of a buffer rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    /// <param name="rentedBuffer">The rented buffer; ownership passes to this object.</param>
    /// <param name="length">How many bytes are the stub.</param>
    public RpcResponseStub(byte[] rentedBuffer, int length)
    {
        ArgumentNullException.ThrowIfNull(rentedBuffer);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, rentedBuffer.Length);
        _buffer = rentedBuffer;
        _length = length;
    }

    /// <summary>Wraps <paramref name="length"/> bytes of a connection's reused buffer, which goes back to it zeroed on dispose.</summary>
    /// <param name="buffer">The buffer; ownership passes to this object until it is disposed.</param>
    /// <param name="length">How many bytes are the stub.</param>
    /// <param name="owner">The connection's buffer holder.</param>
    public RpcResponseStub(byte[] buffer, int length, RpcReassemblyBuffer owner)
        : this(buffer, length)
    {
        ArgumentNullException.ThrowIfNull(owner);
        _owner = owner;
    }

    /// <summary>The stub bytes.</summary>
    public ReadOnlyMemory<byte> Memory
    {
        get
        {
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            return new ReadOnlyMemory<byte>(_buffer, 0, _length);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is null)
        {
            return;
        }

        if (_owner is not null)
        {
            _owner.Return(buffer, _length);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
