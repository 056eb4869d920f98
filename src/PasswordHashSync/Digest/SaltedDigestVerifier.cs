using System.Security.Cryptography;

namespace PasswordHashSync.Digest;

/// <summary>
/// Verifies passwords and NT hashes against salted digest wire strings in constant time. The digest's own
/// iteration count is honoured (100 appears in older data) up to a cap that is checked before any work.
/// </summary>
public sealed class SaltedDigestVerifier : ISaltedDigestVerifier
{
    /// <summary>The default cap on a digest's iteration count: 100,000 (100 times the current count).</summary>
    public const int DefaultMaxIterationCount = 100_000;

    /// <summary>Creates a verifier.</summary>
    /// <param name="currentIterationCount">Digests below this count verify as <see cref="DigestVerificationStatus.SuccessRehashNeeded"/>.</param>
    /// <param name="maxIterationCount">Digests above this count are refused without work.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is zero or negative, or the cap is below the current count.</exception>
    public SaltedDigestVerifier(int currentIterationCount = SaltedDigest.DefaultIterationCount, int maxIterationCount = DefaultMaxIterationCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(currentIterationCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterationCount, currentIterationCount);
        CurrentIterationCount = currentIterationCount;
        MaxIterationCount = maxIterationCount;
    }

    /// <summary>A verifier with the defaults: current count 1000, cap 100,000.</summary>
    public static SaltedDigestVerifier Default { get; } = new();

    /// <summary>The iteration count new digests use; lower counts ask for a rehash.</summary>
    public int CurrentIterationCount { get; }

    /// <summary>The highest iteration count this verifier will compute.</summary>
    public int MaxIterationCount { get; }

    /// <inheritdoc />
    public DigestVerificationResult Verify(ReadOnlySpan<char> password, ReadOnlySpan<char> wireDigest)
    {
        Span<byte> ntHash = stackalloc byte[NtHash.SizeInBytes];
        try
        {
            NtHash.Compute(password, ntHash);
            return VerifyNtHash(ntHash, wireDigest);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ntHash);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="ntHash"/> is not 16 bytes.</exception>
    public DigestVerificationResult VerifyNtHash(ReadOnlySpan<byte> ntHash, ReadOnlySpan<char> wireDigest)
    {
        SaltedDigest.ValidateNtHash(ntHash, nameof(ntHash));
        Span<byte> salt = stackalloc byte[SaltedDigest.MaxSaltSize];
        Span<byte> expected = stackalloc byte[SaltedDigest.HashSize];
        Span<byte> computed = stackalloc byte[SaltedDigest.HashSize];
        if (!SaltedDigestWireFormat.TryParse(wireDigest, salt, out int saltLength, out int iterations, expected, out string? error))
        {
            return DigestVerificationResult.Fail(DigestVerificationFailure.Malformed, error);
        }

        if (iterations > MaxIterationCount)
        {
            return DigestVerificationResult.Fail(
                DigestVerificationFailure.IterationCountAboveLimit,
                $"The digest's iteration count {iterations} is above the limit of {MaxIterationCount}.");
        }

        try
        {
            SaltedDigest.ComputeHashCore(ntHash, salt[..saltLength], iterations, computed);
            if (!CryptographicOperations.FixedTimeEquals(computed, expected))
            {
                return DigestVerificationResult.Mismatch;
            }

            return iterations < CurrentIterationCount ? DigestVerificationResult.SuccessRehashNeeded : DigestVerificationResult.Success;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(computed);
        }
    }
}
