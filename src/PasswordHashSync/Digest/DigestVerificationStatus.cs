namespace PasswordHashSync.Digest;

/// <summary>The outcome of checking a password or NT hash against a salted digest.</summary>
public enum DigestVerificationStatus
{
    /// <summary>The password does not match, or the digest could not be used (see <see cref="DigestVerificationResult.Failure"/>).</summary>
    Failed = 0,

    /// <summary>The password matches.</summary>
    Success = 1,

    /// <summary>The password matches, but the digest uses fewer iterations than the current count and should be recomputed.</summary>
    SuccessRehashNeeded = 2,
}
