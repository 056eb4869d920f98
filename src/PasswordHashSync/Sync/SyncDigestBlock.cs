using System.Buffers;
using System.Security.Cryptography;
using PasswordHashSync.Batch;
using PasswordHashSync.Digest;

namespace PasswordHashSync.Sync;

/// <summary>
/// The salted digests a block of decisions owes, computed together by the batch engine (<see cref="SaltedDigestBatch"/>)
/// instead of one <c>Rfc2898DeriveBytes.Pbkdf2</c> per user. The planner draws each salt in source order (so a seeded
/// <see cref="ISyncRandomSource"/> gives the same salts as the single-operation path) and gets back a digest whose hash
/// is filled here; the same bytes, since <see cref="SaltedDigestBatch"/> equals <see cref="SaltedDigest.ComputeHash"/>.
/// </summary>
/// <remarks>Buffers come from <see cref="ArrayPool{T}.Shared"/> and are zeroed before they go back (they hold NT hashes).</remarks>
internal sealed class SyncDigestBlock : IDisposable
{
    private readonly List<SaltedDigest> _pending = [];
    private byte[] _ntHashes = [];
    private byte[] _salts = [];
    private int[] _iterations = [];
    private int _capacity;
    private bool _disposed;

    /// <summary>How many digests are waiting for <see cref="Compute"/>.</summary>
    public int Count => _pending.Count;

    /// <summary>Registers one digest: the salt is copied now, the hash is written by <see cref="Compute"/>.</summary>
    /// <param name="ntHash">The 16-byte NT hash.</param>
    /// <param name="salt">The <see cref="SaltedDigest.SaltSize"/>-byte salt.</param>
    /// <param name="iterationCount">The PBKDF2 iteration count.</param>
    /// <returns>The digest, whose hash is zero until <see cref="Compute"/> runs.</returns>
    public SaltedDigest Add(ReadOnlySpan<byte> ntHash, ReadOnlySpan<byte> salt, int iterationCount)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SaltedDigest.ValidateNtHash(ntHash, nameof(ntHash));
        if (salt.Length != SaltedDigest.SaltSize)
        {
            throw new ArgumentException($"The planner's salts are {SaltedDigest.SaltSize} bytes, not {salt.Length}.", nameof(salt));
        }

        int i = _pending.Count;
        EnsureCapacity(i + 1);
        ntHash.CopyTo(_ntHashes.AsSpan(i * NtHash.SizeInBytes));
        salt.CopyTo(_salts.AsSpan(i * SaltedDigest.SaltSize));
        _iterations[i] = iterationCount;
        SaltedDigest digest = SaltedDigest.CreatePending(salt, iterationCount);
        _pending.Add(digest);
        return digest;
    }

    /// <summary>
    /// Moves every digest <paramref name="other"/> is waiting for to the end of this block (in order), so several plans'
    /// digests are computed in one call to the batch engine; <paramref name="other"/> is left empty (its NT hashes zeroed).
    /// </summary>
    /// <param name="other">The block whose pending digests move here.</param>
    public void Absorb(SyncDigestBlock other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ObjectDisposedException.ThrowIf(other._disposed, other);
        int start = _pending.Count;
        int count = other._pending.Count;
        if (count == 0)
        {
            return;
        }

        EnsureCapacity(start + count);
        other._ntHashes.AsSpan(0, count * NtHash.SizeInBytes).CopyTo(_ntHashes.AsSpan(start * NtHash.SizeInBytes));
        other._salts.AsSpan(0, count * SaltedDigest.SaltSize).CopyTo(_salts.AsSpan(start * SaltedDigest.SaltSize));
        other._iterations.AsSpan(0, count).CopyTo(_iterations.AsSpan(start));
        _pending.AddRange(other._pending);
        other.Clear();
    }

    /// <summary>Computes every registered digest (all cores unless limited) and clears the block for reuse.</summary>
    /// <param name="maxDegreeOfParallelism">The most cores, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Stops between lane chunks; the digests are then unusable.</param>
    public void Compute(int? maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int count = _pending.Count;
        if (count == 0)
        {
            return;
        }

        byte[] hashes = ArrayPool<byte>.Shared.Rent(count * SaltedDigest.HashSize);
        try
        {
            int iterations = _iterations[0];
            bool uniform = !_iterations.AsSpan(0, count).ContainsAnyExcept(iterations);
            if (uniform)
            {
                SaltedDigestBatch.ComputeHashesParallel(
                    _ntHashes.AsMemory(0, count * NtHash.SizeInBytes),
                    _salts.AsMemory(0, count * SaltedDigest.SaltSize),
                    SaltedDigest.SaltSize,
                    iterations,
                    hashes.AsMemory(0, count * SaltedDigest.HashSize),
                    maxDegreeOfParallelism,
                    progress: null,
                    cancellationToken);
            }
            else
            {
                // One planner, one settings object per block: this only happens if a caller mixes settings.
                int[] lengths = new int[count];
                Array.Fill(lengths, SaltedDigest.SaltSize);
                SaltedDigestBatch.ComputeHashesMixed(
                    _ntHashes.AsSpan(0, count * NtHash.SizeInBytes),
                    _salts.AsSpan(0, count * SaltedDigest.SaltSize),
                    lengths,
                    _iterations.AsSpan(0, count),
                    hashes.AsSpan(0, count * SaltedDigest.HashSize),
                    progress: null,
                    cancellationToken);
            }

            for (int i = 0; i < count; i++)
            {
                _pending[i].FillPendingHash(hashes.AsSpan(i * SaltedDigest.HashSize, SaltedDigest.HashSize));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hashes.AsSpan(0, count * SaltedDigest.HashSize));
            ArrayPool<byte>.Shared.Return(hashes);
            Clear();
        }
    }

    /// <summary>Zeroes the NT hashes and forgets the pending digests (the buffers stay for the next block).</summary>
    public void Clear()
    {
        CryptographicOperations.ZeroMemory(_ntHashes.AsSpan(0, Math.Min(_ntHashes.Length, _pending.Count * NtHash.SizeInBytes)));
        _pending.Clear();
    }

    /// <summary>Zeroes and returns the buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Clear();
        Return();
        _disposed = true;
    }

    private void EnsureCapacity(int count)
    {
        if (count <= _capacity)
        {
            return;
        }

        int capacity = Math.Max(256, count * 2);
        byte[] nt = ArrayPool<byte>.Shared.Rent(capacity * NtHash.SizeInBytes);
        byte[] salts = ArrayPool<byte>.Shared.Rent(capacity * SaltedDigest.SaltSize);
        int[] iterations = ArrayPool<int>.Shared.Rent(capacity);
        int used = _pending.Count;
        _ntHashes.AsSpan(0, used * NtHash.SizeInBytes).CopyTo(nt);
        _salts.AsSpan(0, used * SaltedDigest.SaltSize).CopyTo(salts);
        _iterations.AsSpan(0, used).CopyTo(iterations);
        CryptographicOperations.ZeroMemory(_ntHashes);
        Return();
        _ntHashes = nt;
        _salts = salts;
        _iterations = iterations;
        _capacity = capacity;
    }

    private void Return()
    {
        if (_ntHashes.Length > 0)
        {
            CryptographicOperations.ZeroMemory(_ntHashes);
            ArrayPool<byte>.Shared.Return(_ntHashes);
            ArrayPool<byte>.Shared.Return(_salts);
            ArrayPool<int>.Shared.Return(_iterations);
        }

        _ntHashes = [];
        _salts = [];
        _iterations = [];
        _capacity = 0;
    }
}
