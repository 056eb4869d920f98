namespace PasswordHashSync.Digest;

/// <summary>Checks sign-in secrets against salted digest wire strings (registered by <c>AddPasswordHashSync</c>).</summary>
public interface ISaltedDigestVerifier
{
    /// <summary>Checks a password against a wire string.</summary>
    /// <param name="password">The password.</param>
    /// <param name="wireDigest">The <c>v1;PPH1_MD4,...;</c> string.</param>
    /// <returns>Success, success with a rehash needed, or a failure with its reason.</returns>
    DigestVerificationResult Verify(ReadOnlySpan<char> password, ReadOnlySpan<char> wireDigest);

    /// <summary>Checks an NT hash against a wire string.</summary>
    /// <param name="ntHash">The 16-byte NT hash.</param>
    /// <param name="wireDigest">The <c>v1;PPH1_MD4,...;</c> string.</param>
    /// <returns>Success, success with a rehash needed, or a failure with its reason.</returns>
    DigestVerificationResult VerifyNtHash(ReadOnlySpan<byte> ntHash, ReadOnlySpan<char> wireDigest);
}
