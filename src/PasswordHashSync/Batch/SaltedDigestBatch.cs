using PasswordHashSync.Batch.Kernels;
using PasswordHashSync.Digest;

namespace PasswordHashSync.Batch;

/// <summary>
/// Salted digest hashes (<see cref="SaltedDigest.ComputeHash"/>: PBKDF2-HMAC-SHA256 over UTF-16LE(upper-case hex of
/// the NT hash)) for many users at once: one user per SIMD lane (16 with AVX-512), each lane with its own salt and
/// iteration count. A full password sync computes one per user; this is its hot path.
/// </summary>
/// <remarks>
/// <para>Hash <c>i</c> (32 bytes) is written to <c>destination[(32 * i)..(32 * i + 32)]</c> and equals
/// <c>SaltedDigest.ComputeHash(ntHash_i, salt_i, iterations_i, ...)</c> bit for bit. Wrap it with
/// <see cref="SaltedDigest(ReadOnlySpan{byte}, int, ReadOnlySpan{byte})"/> when the wire form is needed.</para>
/// <para>Lanes run for the largest iteration count in their chunk, so mixing very different counts in one batch wastes
/// work (it stays correct); Entra Connect uses 1000 for everyone.</para>
/// <para>Steady-state calls allocate nothing; without SIMD the batch runs the single-operation path item by item.</para>
/// </remarks>
public static class SaltedDigestBatch
{
    /// <summary>Computes the digest hash of every NT hash with salts of one length and one iteration count.</summary>
    /// <param name="ntHashes">The NT hashes, 16 bytes each, end to end.</param>
    /// <param name="salts">The salts, <paramref name="saltLength"/> bytes each, end to end (one per NT hash).</param>
    /// <param name="saltLength">The length of every salt: 1 to 64 bytes (Entra Connect generates 10).</param>
    /// <param name="iterationCount">The PBKDF2 iteration count, positive (Entra Connect: 1000).</param>
    /// <param name="destination">Receives 32 bytes per NT hash, in order.</param>
    /// <param name="progress">Optional progress sink, reported after every lane chunk.</param>
    /// <param name="cancellationToken">Stops the batch between chunks; the destination is then partly written.</param>
    /// <exception cref="ArgumentException">An input length breaks the rules above; the message names the rule.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The salt length or the iteration count is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static void ComputeHashes(
        ReadOnlySpan<byte> ntHashes,
        ReadOnlySpan<byte> salts,
        int saltLength,
        int iterationCount,
        Span<byte> destination,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        int count = ValidateFixed(ntHashes, salts.Length, saltLength, iterationCount, destination.Length, nameof(salts), nameof(destination));
        cancellationToken.ThrowIfCancellationRequested();
        var inputs = new SaltedDigestInputs(ntHashes, salts, saltLength, default, iterationCount, default);
        SaltedDigestKernel.Run(BatchKernelSelector.Current, inputs, destination, BatchProgressTracker.Create(progress, count), cancellationToken);
    }

    /// <summary>
    /// Computes the digest hash of every NT hash, each with its own salt length and iteration count
    /// (for example digests re-verified from wire strings written by different Connect versions).
    /// </summary>
    /// <param name="ntHashes">The NT hashes, 16 bytes each, end to end.</param>
    /// <param name="salts">The salts end to end; salt <c>i</c> is the next <c>saltLengths[i]</c> bytes.</param>
    /// <param name="saltLengths">The length of each salt, 1 to 64; they must add up to the length of <paramref name="salts"/>.</param>
    /// <param name="iterationCounts">The iteration count of each item, positive.</param>
    /// <param name="destination">Receives 32 bytes per NT hash, in order.</param>
    /// <param name="progress">Optional progress sink, reported after every lane chunk.</param>
    /// <param name="cancellationToken">Stops the batch between chunks.</param>
    /// <exception cref="ArgumentException">An input length breaks the rules above; the message names the rule.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static void ComputeHashesMixed(
        ReadOnlySpan<byte> ntHashes,
        ReadOnlySpan<byte> salts,
        ReadOnlySpan<int> saltLengths,
        ReadOnlySpan<int> iterationCounts,
        Span<byte> destination,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        int count = CountNtHashes(ntHashes);
        if (saltLengths.Length != count)
        {
            throw new ArgumentException($"There must be one salt length per NT hash: {count}, not {saltLengths.Length}.", nameof(saltLengths));
        }

        if (iterationCounts.Length != count)
        {
            throw new ArgumentException($"There must be one iteration count per NT hash: {count}, not {iterationCounts.Length}.", nameof(iterationCounts));
        }

        long total = 0;
        for (int i = 0; i < count; i++)
        {
            if (saltLengths[i] is < 1 or > SaltedDigest.MaxSaltSize)
            {
                throw new ArgumentException($"Salt {i} must be 1 to {SaltedDigest.MaxSaltSize} bytes, not {saltLengths[i]}.", nameof(saltLengths));
            }

            if (iterationCounts[i] <= 0)
            {
                throw new ArgumentException($"Iteration count {i} must be positive, not {iterationCounts[i]}.", nameof(iterationCounts));
            }

            total += saltLengths[i];
        }

        if (total != salts.Length)
        {
            throw new ArgumentException($"The salt lengths add up to {total} bytes but the salts span holds {salts.Length}; they must be equal.", nameof(salts));
        }

        BatchArguments.RequireDestination(destination.Length, count, SaltedDigest.HashSize, nameof(destination));
        cancellationToken.ThrowIfCancellationRequested();
        var inputs = new SaltedDigestInputs(ntHashes, salts, 0, saltLengths, 0, iterationCounts);
        SaltedDigestKernel.Run(BatchKernelSelector.Current, inputs, destination, BatchProgressTracker.Create(progress, count), cancellationToken);
    }

    /// <summary>
    /// Computes the digest hash of every NT hash on several cores (salts of one length, one iteration count):
    /// the full-sync path.
    /// </summary>
    /// <param name="ntHashes">The NT hashes, 16 bytes each, end to end.</param>
    /// <param name="salts">The salts, <paramref name="saltLength"/> bytes each, end to end.</param>
    /// <param name="saltLength">The length of every salt: 1 to 64 bytes.</param>
    /// <param name="iterationCount">The PBKDF2 iteration count, positive.</param>
    /// <param name="destination">Receives 32 bytes per NT hash, in order.</param>
    /// <param name="maxDegreeOfParallelism">The most cores to use, or <see langword="null"/> for all of them.</param>
    /// <param name="progress">Optional progress sink; reported from worker threads.</param>
    /// <param name="cancellationToken">Stops the batch between chunks.</param>
    /// <exception cref="ArgumentException">An input length breaks the rules above.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The salt length, iteration count or degree of parallelism is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static void ComputeHashesParallel(
        ReadOnlyMemory<byte> ntHashes,
        ReadOnlyMemory<byte> salts,
        int saltLength,
        int iterationCount,
        Memory<byte> destination,
        int? maxDegreeOfParallelism = null,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        int count = ValidateFixed(ntHashes.Span, salts.Length, saltLength, iterationCount, destination.Length, nameof(salts), nameof(destination));
        BatchArguments.RequireDegree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        cancellationToken.ThrowIfCancellationRequested();
        BatchProgressTracker? tracker = BatchProgressTracker.Create(progress, count);
        SimdPath path = BatchKernelSelector.Current;
        BatchPartitioner.Run(count, 64, BatchArguments.ResolveDegree(maxDegreeOfParallelism), (start, length) =>
        {
            var inputs = new SaltedDigestInputs(
                ntHashes.Span.Slice(start * NtHash.SizeInBytes, length * NtHash.SizeInBytes),
                salts.Span.Slice(start * saltLength, length * saltLength),
                saltLength,
                default,
                iterationCount,
                default);
            SaltedDigestKernel.Run(path, inputs, destination.Span.Slice(start * SaltedDigest.HashSize, length * SaltedDigest.HashSize), tracker, cancellationToken);
        }, cancellationToken);
    }

    private static int CountNtHashes(ReadOnlySpan<byte> ntHashes)
    {
        if (ntHashes.Length % NtHash.SizeInBytes != 0)
        {
            throw new ArgumentException($"The NT hashes must be {NtHash.SizeInBytes} bytes each; {ntHashes.Length} bytes is not a multiple.", nameof(ntHashes));
        }

        return ntHashes.Length / NtHash.SizeInBytes;
    }

    private static int ValidateFixed(
        ReadOnlySpan<byte> ntHashes, int saltsLength, int saltLength, int iterationCount, int destinationLength, string saltsParameterName, string destinationParameterName)
    {
        int count = CountNtHashes(ntHashes);
        ArgumentOutOfRangeException.ThrowIfLessThan(saltLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(saltLength, SaltedDigest.MaxSaltSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterationCount);
        if ((long)count * saltLength != saltsLength)
        {
            throw new ArgumentException(
                $"There must be one {saltLength}-byte salt per NT hash: {(long)count * saltLength} bytes for {count} hashes, not {saltsLength}.",
                saltsParameterName);
        }

        BatchArguments.RequireDestination(destinationLength, count, SaltedDigest.HashSize, destinationParameterName);
        return count;
    }
}
