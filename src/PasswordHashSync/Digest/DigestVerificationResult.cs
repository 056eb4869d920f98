namespace PasswordHashSync.Digest;

/// <summary>The result of a salted digest verification: a status and, on failure, why.</summary>
public readonly record struct DigestVerificationResult
{
    private DigestVerificationResult(DigestVerificationStatus status, DigestVerificationFailure failure, string? message)
    {
        Status = status;
        Failure = failure;
        Message = message;
    }

    /// <summary>Success, success with a rehash needed, or failed.</summary>
    public DigestVerificationStatus Status { get; }

    /// <summary>Why the verification failed, or <see cref="DigestVerificationFailure.None"/>.</summary>
    public DigestVerificationFailure Failure { get; }

    /// <summary>A description of a malformed or refused digest (never contains secrets), otherwise <see langword="null"/>.</summary>
    public string? Message { get; }

    /// <summary>Whether the password matched (with or without a rehash needed).</summary>
    public bool Succeeded => Status != DigestVerificationStatus.Failed;

    internal static DigestVerificationResult Success { get; } = new(DigestVerificationStatus.Success, DigestVerificationFailure.None, null);

    internal static DigestVerificationResult SuccessRehashNeeded { get; } = new(DigestVerificationStatus.SuccessRehashNeeded, DigestVerificationFailure.None, null);

    internal static DigestVerificationResult Mismatch { get; } = new(DigestVerificationStatus.Failed, DigestVerificationFailure.Mismatch, null);

    internal static DigestVerificationResult Fail(DigestVerificationFailure failure, string message) => new(DigestVerificationStatus.Failed, failure, message);
}
