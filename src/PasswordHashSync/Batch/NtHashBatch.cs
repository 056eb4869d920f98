using PasswordHashSync.Batch.Kernels;

namespace PasswordHashSync.Batch;

/// <summary>
/// NT hashes (<see cref="NtHash"/>) for many passwords at once: several passwords per MD4 compression in SIMD lanes
/// (16 with AVX-512, 8 with AVX2, 4 with SSE/NEON), the scalar MD4 on other CPUs.
/// </summary>
/// <remarks>
/// Results are identical to <see cref="NtHash.Compute(ReadOnlySpan{char}, Span{byte})"/> for every password: no
/// normalization, lone surrogates hashed as the code units they are, any length. Hash <c>i</c> is written to
/// <c>destination[(16 * i)..(16 * i + 16)]</c>. Steady-state calls allocate nothing (a progress sink costs one small
/// object per call; the parallel variant allocates its task plumbing per call, never per password).
/// </remarks>
public static class NtHashBatch
{
    /// <summary>Computes the NT hash of every password in <paramref name="passwords"/>.</summary>
    /// <param name="passwords">The passwords; none may be <see langword="null"/>.</param>
    /// <param name="destination">Receives 16 bytes per password, in order.</param>
    /// <param name="progress">Optional progress sink (reported every few thousand passwords and at the end).</param>
    /// <param name="cancellationToken">Stops the batch between chunks; the destination is then partly written.</param>
    /// <exception cref="ArgumentNullException"><paramref name="passwords"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A password is <see langword="null"/>, or <paramref name="destination"/> is shorter than 16 bytes per password.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static void Compute(
        IReadOnlyList<string> passwords,
        Span<byte> destination,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passwords);
        BatchArguments.RequireNoNullPasswords(passwords, nameof(passwords));
        BatchArguments.RequireDestination(destination.Length, passwords.Count, NtHash.SizeInBytes, nameof(destination));
        cancellationToken.ThrowIfCancellationRequested();
        BatchProgressTracker? tracker = BatchProgressTracker.Create(progress, passwords.Count, NtHashKernel.ProgressInterval);
        if (passwords is string[] array)
        {
            var arraySource = new ArrayPasswordSource(array, 0, array.Length);
            NtHashKernel.Run(BatchKernelSelector.Current, ref arraySource, destination, tracker, cancellationToken);
            return;
        }

        var source = new ListPasswordSource(passwords, 0, passwords.Count);
        NtHashKernel.Run(BatchKernelSelector.Current, ref source, destination, tracker, cancellationToken);
    }

    /// <summary>
    /// Computes the NT hashes of passwords packed end to end in one character span (no strings, no allocation):
    /// password <c>i</c> is the next <c>passwordLengths[i]</c> characters of <paramref name="passwordCharacters"/>.
    /// </summary>
    /// <param name="passwordCharacters">All passwords, concatenated.</param>
    /// <param name="passwordLengths">The length of each password, in characters; they must add up to the span's length.</param>
    /// <param name="destination">Receives 16 bytes per password, in order.</param>
    /// <param name="progress">Optional progress sink.</param>
    /// <param name="cancellationToken">Stops the batch between chunks.</param>
    /// <exception cref="ArgumentException">A negative length, lengths that do not add up to the span, or a short destination.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static void ComputePacked(
        ReadOnlySpan<char> passwordCharacters,
        ReadOnlySpan<int> passwordLengths,
        Span<byte> destination,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        BatchArguments.RequirePackedLengths(passwordCharacters.Length, passwordLengths, nameof(passwordCharacters), nameof(passwordLengths));
        BatchArguments.RequireDestination(destination.Length, passwordLengths.Length, NtHash.SizeInBytes, nameof(destination));
        cancellationToken.ThrowIfCancellationRequested();
        var source = new PackedPasswordSource(passwordCharacters, passwordLengths);
        NtHashKernel.Run(BatchKernelSelector.Current, ref source, destination, BatchProgressTracker.Create(progress, passwordLengths.Length, NtHashKernel.ProgressInterval), cancellationToken);
    }

    /// <summary>Computes the NT hash of every password on several cores.</summary>
    /// <param name="passwords">The passwords; none may be <see langword="null"/>.</param>
    /// <param name="destination">Receives 16 bytes per password, in order.</param>
    /// <param name="maxDegreeOfParallelism">The most cores to use, or <see langword="null"/> for all of them.</param>
    /// <param name="progress">Optional progress sink; reported from worker threads.</param>
    /// <param name="cancellationToken">Stops the batch between chunks.</param>
    /// <exception cref="ArgumentNullException"><paramref name="passwords"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A password is <see langword="null"/>, or the destination is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is zero or negative.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static void ComputeParallel(
        IReadOnlyList<string> passwords,
        Memory<byte> destination,
        int? maxDegreeOfParallelism = null,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passwords);
        BatchArguments.RequireDegree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        BatchArguments.RequireNoNullPasswords(passwords, nameof(passwords));
        BatchArguments.RequireDestination(destination.Length, passwords.Count, NtHash.SizeInBytes, nameof(destination));
        cancellationToken.ThrowIfCancellationRequested();
        BatchProgressTracker? tracker = BatchProgressTracker.Create(progress, passwords.Count, NtHashKernel.ProgressInterval);
        SimdPath path = BatchKernelSelector.Current;
        BatchPartitioner.Run(passwords.Count, 4096, BatchArguments.ResolveDegree(maxDegreeOfParallelism), (start, count) =>
        {
            Span<byte> range = destination.Span.Slice(start * NtHash.SizeInBytes, count * NtHash.SizeInBytes);
            if (passwords is string[] array)
            {
                var arraySource = new ArrayPasswordSource(array, start, count);
                NtHashKernel.Run(path, ref arraySource, range, tracker, cancellationToken);
            }
            else
            {
                var source = new ListPasswordSource(passwords, start, count);
                NtHashKernel.Run(path, ref source, range, tracker, cancellationToken);
            }
        }, cancellationToken);
    }
}
