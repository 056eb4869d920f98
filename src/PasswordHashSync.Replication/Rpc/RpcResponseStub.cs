using System.Buffers;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// A reassembled response stub in a pooled buffer. Replies carry encrypted secrets, so the buffer is cleared when it
/// goes back to the pool.
/// </summary>
internal sealed class RpcResponseStub : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

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
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
