using PasswordHashSync.Digest;

namespace PasswordHashSync.UnitTests.Hostile;

/// <summary>
/// Rule: hostile salted-digest wire strings are refused quickly (length checked first) with FormatException / a Fail
/// result whose message holds no salt or hash hex; an untrusted iteration count is bounded by the verifier.
/// </summary>
public class HostileDigestTests
{
    private const string HashHex = "b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a";

    [Fact]
    public void A_10_MiB_wire_string_is_refused_by_length()
    {
        string huge = "v1;PPH1_MD4," + new string('a', 10 << 20) + ",1000," + HashHex + ";";
        Assert.False(SaltedDigest.TryParse(huge, out _, out string? error));
        Assert.Contains("longer than", error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => SaltedDigest.Parse(huge));
        Assert.Equal(DigestVerificationFailure.Malformed, SaltedDigestVerifier.Default.Verify("pw", huge).Failure);
    }

    [Theory]
    [InlineData("v1;PPH1_MD4,181a3024085fcee2f70e,2147483648," + HashHex + ";")]
    [InlineData("v1;PPH1_MD4,181a3024085fcee2f70e,-1," + HashHex + ";")]
    [InlineData("v1;PPH1_MD4,181a3024085fcee2f70e,+1000," + HashHex + ";")]
    [InlineData("v1;PPH1_MD4,181a3024085fcee2f70e,1000," + HashHex + "0;")]
    [InlineData("v1;PPH1_MD4,181a3024085fcee2f70e,1000," + HashHex)]
    [InlineData("v1;PPH1_MD4,181a3024085fcee2f70g,1000," + HashHex + ";")]
    [InlineData("v1;PPH1_MD4,,1000," + HashHex + ";")]
    [InlineData("v1;PPH1_MD4,181a3024085fcee2f70e,,1000," + HashHex + ";")]
    [InlineData("v1;PPH1_MD4,181a3024085fcee2f70e,1000,\uD800" + "39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;")]
    [InlineData(";")]
    [InlineData("v1;PPH1_MD4,;")]
    public void Malformed_wire_strings_fail_without_echoing_salt_or_hash(string wire)
    {
        Assert.False(SaltedDigest.TryParse(wire, out _, out string? error));
        Assert.DoesNotContain("181a3024", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("b39525c3", error, StringComparison.OrdinalIgnoreCase);
        FormatException ex = Assert.Throws<FormatException>(() => SaltedDigest.Parse(wire));
        Assert.Equal(error, ex.Message);
    }

    [Fact]
    public void A_wire_string_with_int_MaxValue_iterations_is_refused_by_the_verifier_before_any_work()
    {
        // The string itself is well formed; only the verifier's limit stands between it and 2^31 PBKDF2 rounds.
        string wire = "v1;PPH1_MD4,181a3024085fcee2f70e,2147483647," + HashHex + ";";
        Assert.True(SaltedDigest.TryParse(wire, out SaltedDigest? digest));
        Assert.Equal(int.MaxValue, digest.IterationCount);
        Assert.Equal(DigestVerificationFailure.IterationCountAboveLimit, SaltedDigestVerifier.Default.Verify("pw", wire).Failure);
    }

    [Fact]
    public void Null_string_overloads_name_the_parameter()
    {
        Assert.Throws<ArgumentNullException>("wireString", () => SaltedDigest.Parse((string)null!));
        Assert.Throws<ArgumentNullException>("password", () => SaltedDigest.FromPassword((string)null!));
    }

    [Fact]
    public void ToString_hides_the_hash()
    {
        SaltedDigest digest = SaltedDigest.Parse("v1;PPH1_MD4,181a3024085fcee2f70e,1000," + HashHex + ";");
        Assert.DoesNotContain(HashHex[..8], digest.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
