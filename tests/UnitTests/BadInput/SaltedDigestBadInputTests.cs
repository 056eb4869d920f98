using PasswordHashSync.Digest;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.BadInput;

/// <summary>Rule: bad input to the salted digest is refused clearly (exception naming the parameter, Try false, or a Malformed result).</summary>
public class SaltedDigestBadInputTests
{
    // DSInternals OrgIdHash_TestVector1 (OrgIdHashTester.cs @894f5ed): the base every malformed string is mutated from.
    private const string Valid = "v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;";
    private const string Salt = "181a3024085fcee2f70e";
    private const string Hash = "b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a";

    public static TheoryData<string, string> MalformedWireStrings => new()
    {
        { "empty", "" },
        { "wrong prefix", "v1;PPH2_MD4," + Salt + ",1000," + Hash + ";" },
        { "version 2", "v2;PPH1_MD4," + Salt + ",1000," + Hash + ";" },
        { "lowercase prefix", "v1;pph1_md4," + Salt + ",1000," + Hash + ";" },
        { "no prefix", Salt + ",1000," + Hash + ";" },
        { "missing final ';'", "v1;PPH1_MD4," + Salt + ",1000," + Hash },
        { "';' instead of ','", "v1;PPH1_MD4," + Salt + ";1000;" + Hash + ";" },
        { "missing hash field", "v1;PPH1_MD4," + Salt + ",1000;" },
        { "odd salt", "v1;PPH1_MD4,181a3024085fcee2f70,1000," + Hash + ";" },
        { "empty salt", "v1;PPH1_MD4,,1000," + Hash + ";" },
        { "non-hex salt", "v1;PPH1_MD4,181a3024085fcee2f70g,1000," + Hash + ";" },
        { "salt over 64 bytes", "v1;PPH1_MD4," + new string('a', 130) + ",1000," + Hash + ";" },
        { "leading zero", "v1;PPH1_MD4," + Salt + ",01000," + Hash + ";" },
        { "zero iterations", "v1;PPH1_MD4," + Salt + ",0," + Hash + ";" },
        { "plus sign", "v1;PPH1_MD4," + Salt + ",+1000," + Hash + ";" },
        { "minus sign", "v1;PPH1_MD4," + Salt + ",-1000," + Hash + ";" },
        { "int overflow", "v1;PPH1_MD4," + Salt + ",2147483648," + Hash + ";" },
        { "11 digits", "v1;PPH1_MD4," + Salt + ",10000000000," + Hash + ";" },
        { "empty iterations", "v1;PPH1_MD4," + Salt + ",," + Hash + ";" },
        { "hex iterations", "v1;PPH1_MD4," + Salt + ",0x3e8," + Hash + ";" },
        { "Arabic-Indic digits", "v1;PPH1_MD4," + Salt + ",\u0661\u0660\u0660\u0660," + Hash + ";" },
        { "short hash", "v1;PPH1_MD4," + Salt + ",1000," + Hash[..62] + ";" },
        { "long hash", "v1;PPH1_MD4," + Salt + ",1000," + Hash + "00;" },
        { "non-hex hash", "v1;PPH1_MD4," + Salt + ",1000," + Hash[..63] + "z;" },
        { "trailing garbage", Valid + "x" },
        { "two digests", Valid + Valid },
        { "leading space", " " + Valid },
        { "trailing newline", Valid + "\n" },
        { "space in iterations", "v1;PPH1_MD4," + Salt + ", 1000," + Hash + ";" },
        { "extra field", "v1;PPH1_MD4," + Salt + ",1000," + Hash + ",00;" },
        { "over-long input", "v1;PPH1_MD4," + new string('a', 500) + ",1000," + Hash + ";" },
    };

    [Theory]
    [MemberData(nameof(MalformedWireStrings))]
    public void Malformed_wire_string_is_refused_everywhere(string rule, string wire)
    {
        Assert.False(SaltedDigest.TryParse(wire, out SaltedDigest? digest), rule);
        Assert.Null(digest);
        Assert.False(SaltedDigest.TryParse(wire, out _, out string? error), rule);
        Assert.False(string.IsNullOrWhiteSpace(error));
        FormatException exception = Assert.Throws<FormatException>(() => SaltedDigest.Parse(wire));
        Assert.Equal(error, exception.Message);

        DigestVerificationResult result = SaltedDigestVerifier.Default.Verify("Pa$$w0rd", wire);
        Assert.Equal(DigestVerificationStatus.Failed, result.Status);
        Assert.Equal(DigestVerificationFailure.Malformed, result.Failure);

        // The error never echoes the input (it may carry a hash).
        Assert.DoesNotContain(Hash[..16], error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Salt, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Valid_base_string_parses_so_the_table_above_tests_one_rule_at_a_time()
    {
        Assert.True(SaltedDigest.TryParse(Valid, out SaltedDigest? digest));
        Assert.Equal(1000, digest.IterationCount);
        Assert.Equal(DigestVerificationStatus.Success, SaltedDigestVerifier.Default.Verify("Pa$$w0rd", Valid).Status);
    }

    [Fact]
    public void Null_string_arguments_throw_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>("wireString", () => SaltedDigest.Parse((string)null!));
        Assert.Throws<ArgumentNullException>("password", () => SaltedDigest.FromPassword((string)null!));
    }

    [Fact]
    public void Empty_and_huge_passwords_are_valid_digest_inputs()
    {
        string huge = new('p', 1_000_000);
        foreach (string password in new[] { "", huge })
        {
            SaltedDigest digest = SaltedDigest.FromPassword(password, new byte[10], 2);
            Assert.Equal(ReferenceDerivation.SaltedDigestHash(NtHash.Compute(password), new byte[10], 2), digest.Hash.ToArray());
            Assert.True(new SaltedDigestVerifier(1, 10).Verify(password, digest.ToWireString()).Succeeded);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(32)]
    public void Wrong_nt_hash_length_throws_naming_ntHash(int length)
    {
        byte[] salt = new byte[10];
        Assert.Throws<ArgumentException>("ntHash", () => SaltedDigest.ComputeHash(new byte[length], salt, 1, new byte[32]));
        Assert.Throws<ArgumentException>("ntHash", () => SaltedDigest.TryComputeHash(new byte[length], salt, 1, new byte[32], out _));
        Assert.Throws<ArgumentException>("ntHash", () => SaltedDigest.FromNtHash(new byte[length], salt, 1));
        Assert.Throws<ArgumentException>("ntHash", () => SaltedDigestVerifier.Default.VerifyNtHash(new byte[length], Valid));
        SaltedDigest digest = SaltedDigest.Parse(Valid);
        Assert.Throws<ArgumentException>("ntHash", () => digest.MatchesNtHash(new byte[length]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(1000)]
    public void Wrong_salt_length_throws_naming_salt(int length)
    {
        byte[] nt = new byte[16];
        Assert.Throws<ArgumentException>("salt", () => SaltedDigest.ComputeHash(nt, new byte[length], 1, new byte[32]));
        Assert.Throws<ArgumentException>("salt", () => SaltedDigest.FromPassword("x", new byte[length], 1));
        Assert.Throws<ArgumentException>("salt", () => new SaltedDigest(new byte[length], 1, new byte[32]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Zero_or_negative_iteration_count_throws_naming_iterationCount(int iterations)
    {
        byte[] nt = new byte[16];
        byte[] salt = new byte[10];
        Assert.Throws<ArgumentOutOfRangeException>("iterationCount", () => SaltedDigest.ComputeHash(nt, salt, iterations, new byte[32]));
        Assert.Throws<ArgumentOutOfRangeException>("iterationCount", () => SaltedDigest.FromNtHash(nt, iterations));
        Assert.Throws<ArgumentOutOfRangeException>("iterationCount", () => SaltedDigest.FromPassword("x", iterations));
        Assert.Throws<ArgumentOutOfRangeException>("iterationCount", () => new SaltedDigest(salt, iterations, new byte[32]));
        Assert.Throws<ArgumentOutOfRangeException>("currentIterationCount", () => new SaltedDigestVerifier(iterations));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void Short_destination_is_refused(int length)
    {
        Assert.False(SaltedDigest.TryComputeHash(new byte[16], new byte[10], 1, new byte[length], out int written));
        Assert.Equal(0, written);
        Assert.Throws<ArgumentException>("destination", () => SaltedDigest.ComputeHash(new byte[16], new byte[10], 1, new byte[length]));
        SaltedDigest digest = SaltedDigest.Parse(Valid);
        Assert.False(digest.TryFormat(new char[digest.WireStringLength - 1], out int chars));
        Assert.Equal(0, chars);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void Constructor_refuses_a_hash_that_is_not_32_bytes(int length) =>
        Assert.Throws<ArgumentException>("hash", () => new SaltedDigest(new byte[10], 1000, new byte[length]));

    [Fact]
    public void Verifier_cap_below_current_count_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>("maxIterationCount", () => new SaltedDigestVerifier(1000, 999));

    [Fact]
    public void Iteration_count_above_the_cap_is_refused_before_any_work()
    {
        // int.MaxValue PBKDF2 iterations would take hours: returning at all proves no work was done.
        string huge = "v1;PPH1_MD4," + Salt + ",2147483647," + Hash + ";";
        var verifier = new SaltedDigestVerifier(currentIterationCount: 1000, maxIterationCount: 2000);
        DigestVerificationResult result = verifier.Verify("Pa$$w0rd", huge);
        Assert.Equal(DigestVerificationStatus.Failed, result.Status);
        Assert.Equal(DigestVerificationFailure.IterationCountAboveLimit, result.Failure);
        Assert.Contains("2000", result.Message, StringComparison.Ordinal);

        result = SaltedDigestVerifier.Default.VerifyNtHash(new byte[16], huge);
        Assert.Equal(DigestVerificationFailure.IterationCountAboveLimit, result.Failure);

        // Exactly at the cap is allowed.
        SaltedDigest atCap = SaltedDigest.FromPassword("Pa$$w0rd", new byte[10], 2000);
        Assert.Equal(DigestVerificationStatus.Success, verifier.Verify("Pa$$w0rd", atCap.ToWireString()).Status);
    }

    [Fact]
    public void Verification_results_say_why()
    {
        SaltedDigest digest = SaltedDigest.FromPassword("right", new byte[10], 10);
        var verifier = new SaltedDigestVerifier(currentIterationCount: 10, maxIterationCount: 100);
        DigestVerificationResult right = verifier.Verify("right", digest.ToWireString());
        Assert.Equal(DigestVerificationStatus.Success, right.Status);
        Assert.Equal(DigestVerificationFailure.None, right.Failure);
        Assert.Null(right.Message);
        DigestVerificationResult wrong = verifier.Verify("wrong", digest.ToWireString());
        Assert.False(wrong.Succeeded);
        Assert.Equal(DigestVerificationFailure.Mismatch, wrong.Failure);
        DigestVerificationResult old = new SaltedDigestVerifier(20, 100).Verify("right", digest.ToWireString());
        Assert.True(old.Succeeded);
        Assert.Equal(DigestVerificationStatus.SuccessRehashNeeded, old.Status);
    }
}
