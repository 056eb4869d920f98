using PasswordHashSync.Batch.Kernels;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Batch;

/// <summary>
/// RFC 3962 Kerberos AES keys (aes256-cts-hmac-sha1-96 and aes128-cts-hmac-sha1-96) for many (password, salt) pairs
/// at once: PBKDF2-HMAC-SHA1 in SIMD lanes, then DK(tkey, "kerberos"). A managed domain needs them for every
/// password change; this is their bulk path.
/// </summary>
/// <remarks>
/// Key <c>i</c> equals <see cref="KerberosKeyDerivation.DeriveKey(KerberosEncryptionType, ReadOnlySpan{char}, ReadOnlySpan{byte}, Span{byte}, int?)"/>
/// for the same password, salt and iteration count, bit for bit: UTF-8 with U+FFFD for lone surrogates, any length.
/// Steady-state calls allocate nothing for passwords up to 84 characters (longer ones rent a pooled buffer).
/// </remarks>
public static class KerberosAesKeyBatch
{
    /// <summary>The RFC 3962 default iteration count: 4096.</summary>
    public const int DefaultIterationCount = 4096;

    /// <summary>Derives the key of <paramref name="encryptionType"/> for every (password, salt) pair.</summary>
    /// <param name="encryptionType"><see cref="KerberosEncryptionType.Aes256CtsHmacSha196"/> (32-byte keys) or <see cref="KerberosEncryptionType.Aes128CtsHmacSha196"/> (16-byte keys).</param>
    /// <param name="passwords">The passwords; none may be <see langword="null"/>.</param>
    /// <param name="salts">One salt per password (see <see cref="KerberosSalt"/>); none may be <see langword="null"/>.</param>
    /// <param name="destination">Receives one key per password, in order (key size × count bytes).</param>
    /// <param name="iterationCount">The PBKDF2 iteration count, positive (AD always uses 4096).</param>
    /// <param name="progress">Optional progress sink, reported after every lane chunk.</param>
    /// <param name="cancellationToken">Stops the batch between chunks; the destination is then partly written.</param>
    /// <exception cref="ArgumentNullException"><paramref name="passwords"/> or <paramref name="salts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lists differ in length, hold a <see langword="null"/>, or the destination is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The type is not an RFC 3962 AES type, or the iteration count is not positive.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static void DeriveKeys(
        KerberosEncryptionType encryptionType,
        IReadOnlyList<string> passwords,
        IReadOnlyList<byte[]> salts,
        Span<byte> destination,
        int iterationCount = DefaultIterationCount,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        int keySize = Validate(encryptionType, passwords, salts, destination.Length, iterationCount, nameof(destination));
        cancellationToken.ThrowIfCancellationRequested();
        KerberosAesKeyKernel.Run(
            BatchKernelSelector.Current, passwords, salts, 0, passwords.Count, keySize, iterationCount, destination,
            BatchProgressTracker.Create(progress, passwords.Count), cancellationToken);
    }

    /// <summary>Derives the key of <paramref name="encryptionType"/> for every (password, salt) pair on several cores.</summary>
    /// <param name="encryptionType"><see cref="KerberosEncryptionType.Aes256CtsHmacSha196"/> or <see cref="KerberosEncryptionType.Aes128CtsHmacSha196"/>.</param>
    /// <param name="passwords">The passwords; none may be <see langword="null"/>.</param>
    /// <param name="salts">One salt per password; none may be <see langword="null"/>.</param>
    /// <param name="destination">Receives one key per password, in order.</param>
    /// <param name="iterationCount">The PBKDF2 iteration count, positive.</param>
    /// <param name="maxDegreeOfParallelism">The most cores to use, or <see langword="null"/> for all of them.</param>
    /// <param name="progress">Optional progress sink; reported from worker threads.</param>
    /// <param name="cancellationToken">Stops the batch between chunks.</param>
    /// <exception cref="ArgumentNullException"><paramref name="passwords"/> or <paramref name="salts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lists differ in length, hold a <see langword="null"/>, or the destination is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Wrong type, iteration count or degree of parallelism.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static void DeriveKeysParallel(
        KerberosEncryptionType encryptionType,
        IReadOnlyList<string> passwords,
        IReadOnlyList<byte[]> salts,
        Memory<byte> destination,
        int iterationCount = DefaultIterationCount,
        int? maxDegreeOfParallelism = null,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        int keySize = Validate(encryptionType, passwords, salts, destination.Length, iterationCount, nameof(destination));
        BatchArguments.RequireDegree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        cancellationToken.ThrowIfCancellationRequested();
        BatchProgressTracker? tracker = BatchProgressTracker.Create(progress, passwords.Count);
        SimdPath path = BatchKernelSelector.Current;
        BatchPartitioner.Run(passwords.Count, 16, BatchArguments.ResolveDegree(maxDegreeOfParallelism), (start, length) =>
            KerberosAesKeyKernel.Run(
                path, passwords, salts, start, length, keySize, iterationCount,
                destination.Span.Slice(start * keySize, length * keySize), tracker, cancellationToken),
            cancellationToken);
    }

    private static int Validate(
        KerberosEncryptionType encryptionType, IReadOnlyList<string> passwords, IReadOnlyList<byte[]> salts, int destinationLength, int iterationCount, string destinationParameterName)
    {
        int keySize = encryptionType switch
        {
            KerberosEncryptionType.Aes256CtsHmacSha196 => 32,
            KerberosEncryptionType.Aes128CtsHmacSha196 => 16,
            _ => throw new ArgumentOutOfRangeException(
                nameof(encryptionType), encryptionType, "The batch derives RFC 3962 keys only: aes256-cts-hmac-sha1-96 or aes128-cts-hmac-sha1-96."),
        };
        ArgumentNullException.ThrowIfNull(passwords);
        ArgumentNullException.ThrowIfNull(salts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterationCount);
        if (salts.Count != passwords.Count)
        {
            throw new ArgumentException($"There must be one salt per password: {passwords.Count}, not {salts.Count}.", nameof(salts));
        }

        BatchArguments.RequireNoNullPasswords(passwords, nameof(passwords));
        for (int i = 0; i < salts.Count; i++)
        {
            if (salts[i] is null)
            {
                throw new ArgumentException($"Salt {i} is null.", nameof(salts));
            }
        }

        BatchArguments.RequireDestination(destinationLength, passwords.Count, keySize, destinationParameterName);
        return keySize;
    }
}
