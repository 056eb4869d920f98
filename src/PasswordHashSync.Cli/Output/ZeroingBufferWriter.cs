using System.Buffers;
using System.Security.Cryptography;

namespace PasswordHashSync.Cli.Output;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> for output that holds secrets (hex NT hashes and Kerberos keys): its own array,
/// never a pooled one (a pooled array goes on to other code with whatever it held), zeroed by <see cref="Clear"/>,
/// when it grows (the old array) and on <see cref="Dispose"/>.
/// </summary>
internal sealed class ZeroingBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _written;

    /// <summary>Creates the writer.</summary>
    /// <param name="capacity">The first array's size; it doubles as needed.</param>
    public ZeroingBufferWriter(int capacity = 4096) => _buffer = new byte[Math.Max(capacity, 16)];

    /// <summary>What was written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>The whole current array, written or not (for tests: it must read as zeros after <see cref="Clear"/>).</summary>
    internal ReadOnlySpan<byte> WholeBuffer => _buffer;

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Zeroes the whole array (also bytes handed out by <see cref="GetSpan"/> and never advanced) and starts over.</summary>
    public void Clear()
    {
        CryptographicOperations.ZeroMemory(_buffer);
        _written = 0;
    }

    /// <summary>Zeroes the array.</summary>
    public void Dispose() => Clear();

    private void Reserve(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        byte[] grown = new byte[Math.Max(checked(_buffer.Length * 2), checked(_written + needed))];
        _buffer.AsSpan(0, _written).CopyTo(grown);
        CryptographicOperations.ZeroMemory(_buffer);
        _buffer = grown;
    }
}
