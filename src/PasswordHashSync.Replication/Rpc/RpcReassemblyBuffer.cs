using System.Security.Cryptography;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// The one response buffer a connection reuses from call to call, so reassembling replies costs no allocation once the
/// largest reply has been seen, and what the process keeps is one buffer of that size, whatever the number of calls.
/// </summary>
/// <remarks>
/// <para>Why not <see cref="System.Buffers.ArrayPool{T}.Shared"/>: a reply of a few MiB grows through every power of two
/// from 16 KiB, and the shared pool keeps each of those arrays, per thread and per core, for the life of the process
/// (measured: 16 MiB on the large object heap after the first 1000-object GetNCChanges reply, more as later replies
/// completed on other thread-pool threads; benchmarks/README.md, "Replication benchmark").</para>
/// <para>A reply holds secrets (encrypted with the session key), so the bytes used are zeroed when the buffer comes
/// back, and an array dropped while growing is zeroed before it is dropped. A stub still in use when the next call
/// starts is never overwritten: that call finds no spare buffer and grows its own.</para>
/// </remarks>
internal sealed class RpcReassemblyBuffer : IDisposable
{
    private readonly Lock _lock = new();
    private byte[]? _spare;
    private bool _disposed;

    /// <summary>Takes the spare buffer (already zeroed), or <see langword="null"/> when it is in use or not yet made.</summary>
    /// <returns>The buffer, now owned by the caller until <see cref="Return"/>.</returns>
    public byte[]? Take()
    {
        lock (_lock)
        {
            byte[]? spare = _spare;
            _spare = null;
            return spare;
        }
    }

    /// <summary>Zeroes the first <paramref name="used"/> bytes and keeps the buffer for the next call (the larger one, if two are out).</summary>
    /// <param name="buffer">A buffer from <see cref="Take"/> or one grown from it.</param>
    /// <param name="used">How many bytes, from the start, may hold data.</param>
    public void Return(byte[] buffer, int used)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CryptographicOperations.ZeroMemory(buffer.AsSpan(0, used));
        lock (_lock)
        {
            if (!_disposed && (_spare is null || _spare.Length < buffer.Length))
            {
                _spare = buffer;
            }
        }
    }

    /// <summary>Drops the spare buffer (zeroed when it came back); later returns are zeroed and dropped.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _spare = null;
        }
    }
}
