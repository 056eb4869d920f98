namespace PasswordHashSync.Digest;

/// <summary>Why a verification failed.</summary>
public enum DigestVerificationFailure
{
    /// <summary>No failure: the verification succeeded.</summary>
    None = 0,

    /// <summary>The digest is well formed but the password does not match it.</summary>
    Mismatch = 1,

    /// <summary>The digest string is not a valid <c>v1;PPH1_MD4,...;</c> string.</summary>
    Malformed = 2,

    /// <summary>The digest's iteration count is above the configured limit; no work was done.</summary>
    IterationCountAboveLimit = 3,
}
