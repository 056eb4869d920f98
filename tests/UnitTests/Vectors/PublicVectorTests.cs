using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Cryptography;
using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests.Vectors;

/// <summary>
/// Every entry of public-vectors.json (RFC 1320/3961/3962/6070/7914/8009, MS-NLMP, DSInternals, Kerberos.NET,
/// impacket, real DC output) checked against the library call it describes.
/// </summary>
public class PublicVectorTests
{
    // Minimum runnable entries per category (the file as published has exactly these).
    private static readonly (string Category, Func<string, bool> Matches, int Minimum)[] Categories =
    [
        ("n-fold", IsNFold, 16),
        ("MD4", IsMd4, 7),
        ("NT hash / RC4-HMAC", IsNtHash, 8),
        ("LM hash", IsLmHash, 5),
        ("DES string-to-key", IsDes, 13),
        ("AES-SHA1 string-to-key", IsAesSha1, 29),
        ("AES-SHA2 string-to-key", IsAesSha2, 2),
        ("RFC 3962 PBKDF2 intermediate", IsRfc3962Intermediate, 14),
        ("RFC 8009 PBKDF2 intermediate", IsRfc8009Intermediate, 2),
        ("plain PBKDF2", IsPlainPbkdf2, 14),
        ("OrgId salted digest", IsSaltedDigest, 5),
    ];

    public static TheoryData<int> NFoldVectors => PublicVectorFile.Select(IsNFold);

    public static TheoryData<int> Md4Vectors => PublicVectorFile.Select(IsMd4);

    public static TheoryData<int> NtHashVectors => PublicVectorFile.Select(IsNtHash);

    public static TheoryData<int> LmHashVectors => PublicVectorFile.Select(IsLmHash);

    public static TheoryData<int> DesVectors => PublicVectorFile.Select(IsDes);

    public static TheoryData<int> AesSha1Vectors => PublicVectorFile.Select(IsAesSha1);

    public static TheoryData<int> AesSha2Vectors => PublicVectorFile.Select(IsAesSha2);

    public static TheoryData<int> Rfc3962IntermediateVectors => PublicVectorFile.Select(IsRfc3962Intermediate);

    public static TheoryData<int> Rfc8009IntermediateVectors => PublicVectorFile.Select(IsRfc8009Intermediate);

    public static TheoryData<int> PlainPbkdf2Vectors => PublicVectorFile.Select(IsPlainPbkdf2);

    public static TheoryData<int> SaltedDigestVectors => PublicVectorFile.Select(IsSaltedDigest);

    [Fact]
    public void File_loads_every_entry_and_each_is_run_or_excluded_with_a_reason()
    {
        IReadOnlyList<PublicVector> all = PublicVectorFile.All;
        Assert.True(all.Count >= PublicVectorFile.MinimumEntryCount, $"public-vectors.json yielded {all.Count} entries, expected at least {PublicVectorFile.MinimumEntryCount}.");

        int runnable = 0;
        foreach (PublicVector vector in all)
        {
            if (PublicVectorFile.ExclusionReason(vector) is not null)
            {
                continue;
            }

            int matches = Categories.Count(c => c.Matches(vector.Algorithm));
            Assert.True(matches == 1, $"{vector} matches {matches} categories; every runnable entry must map to exactly one library call.");
            runnable++;
        }

        foreach ((string category, Func<string, bool> matches, int minimum) in Categories)
        {
            int count = all.Count(v => PublicVectorFile.ExclusionReason(v) is null && matches(v.Algorithm));
            Assert.True(count >= minimum, $"Category '{category}' has {count} runnable vectors, expected at least {minimum}.");
        }

        Assert.True(runnable >= 115, $"Only {runnable} runnable vectors.");
    }

    [Fact]
    public void Exclusions_are_exactly_the_out_of_scope_optional_slow_ntowfv2_and_unresolved_entries()
    {
        var reasons = PublicVectorFile.All
            .Select(PublicVectorFile.ExclusionReason)
            .Where(r => r is not null)
            .GroupBy(r => r!.Split(':')[0].Split(' ')[0])
            .ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(24, reasons["out_of_scope"]);
        Assert.Equal(7, reasons["optional"]);
        Assert.Equal(2, reasons["PBKDF2"]);
        Assert.Equal(1, reasons["NTOWFv2"]);
        Assert.Equal(1, reasons["UNRESOLVED"]);
        Assert.Equal(35, reasons.Values.Sum());
    }

    [Theory]
    [MemberData(nameof(NFoldVectors))]
    public void NFold_matches_published_vector(int index)
    {
        PublicVector vector = PublicVectorFile.Get(index);
        byte[] input = vector.GetHex("input_hex")!;
        Assert.Equal(Encoding.ASCII.GetBytes(vector.GetString("input")!), input);
        byte[] output = new byte[vector.GetInt("output_bits") / 8];
        NFold.Fold(input, output);
        AssertHex(vector.Expected, output, vector);
    }

    [Theory]
    [MemberData(nameof(Md4Vectors))]
    public void Md4_matches_published_vector(int index)
    {
        PublicVector vector = PublicVectorFile.Get(index);
        byte[] hash = new byte[16];
        Md4.HashData(Encoding.ASCII.GetBytes(vector.GetString("input")!), hash);
        AssertHex(vector.Expected, hash, vector);
    }

    [Theory]
    [MemberData(nameof(NtHashVectors))]
    public void NtHash_and_Rc4HmacKey_match_published_vector(int index)
    {
        PublicVector vector = PublicVectorFile.Get(index);
        string password = vector.PasswordText;
        AssertHex(vector.Expected, NtHash.Compute(password), vector);

        Span<byte> span = stackalloc byte[16];
        Assert.True(NtHash.TryCompute(password, span, out int written));
        Assert.Equal(16, written);
        AssertHex(vector.Expected, span.ToArray(), vector);

        // RC4-HMAC ignores salt and iteration count (RFC 4757): pass a non-empty salt to prove it.
        byte[] key = new byte[16];
        KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Rc4Hmac, password, "IGNORED.SALTuser"u8, key);
        AssertHex(vector.Expected, key, vector);
        using KerberosKey keyObject = KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Rc4Hmac, password, vector.Salt);
        AssertHex(vector.Expected, keyObject.Key.ToArray(), vector);
    }

    [Theory]
    [MemberData(nameof(LmHashVectors))]
    public void LmHash_cp437_matches_published_vector(int index)
    {
        PublicVector vector = PublicVectorFile.Get(index);
        AssertHex(vector.Expected, LmHash.Compute(vector.PasswordText, 437), vector);
    }

    [Theory]
    [MemberData(nameof(DesVectors))]
    public void DesStringToKey_matches_published_vector_for_both_des_types(int index)
    {
        PublicVector vector = PublicVectorFile.Get(index);
        byte[] salt = vector.Salt;
        foreach (KerberosEncryptionType type in new[] { KerberosEncryptionType.DesCbcMd5, KerberosEncryptionType.DesCbcCrc })
        {
            byte[] key = new byte[8];
            Assert.Equal(8, KerberosKeyDerivation.DeriveKey(type, vector.PasswordText, salt, key));
            AssertHex(vector.Expected, key, vector);
        }

        if (vector.GetHex("intermediate_key_hex") is byte[] intermediate)
        {
            byte[] key = new byte[8];
            byte[] tempKey = new byte[8];
            DesStringToKey.Derive(vector.PasswordUtf8Bytes, salt, key, tempKey);
            AssertHex(intermediate, tempKey, vector);
            AssertHex(vector.Expected, key, vector);
        }
    }

    [Theory]
    [MemberData(nameof(AesSha1Vectors))]
    public void AesSha1StringToKey_matches_published_vector(int index)
    {
        PublicVector vector = PublicVectorFile.Get(index);
        KerberosEncryptionType type = vector.Algorithm.StartsWith("aes128", StringComparison.Ordinal)
            ? KerberosEncryptionType.Aes128CtsHmacSha196
            : KerberosEncryptionType.Aes256CtsHmacSha196;
        AssertKerberosKey(vector, type);
    }

    [Theory]
    [MemberData(nameof(AesSha2Vectors))]
    public void AesSha2StringToKey_matches_published_vector_and_saltp(int index)
    {
        PublicVector vector = PublicVectorFile.Get(index);
        KerberosEncryptionType type = vector.Algorithm.StartsWith("aes128", StringComparison.Ordinal)
            ? KerberosEncryptionType.Aes128CtsHmacSha256128
            : KerberosEncryptionType.Aes256CtsHmacSha384192;

        // 32768 is the RFC 8009 default: the null-count path must use it.
        Assert.Equal(vector.Iterations, KerberosEncryptionTypes.GetDefaultIterationCount(type));
        byte[] byDefault = new byte[KerberosEncryptionTypes.GetKeySize(type)];
        KerberosKeyDerivation.DeriveKey(type, vector.PasswordText, vector.Salt, byDefault);
        AssertHex(vector.Expected, byDefault, vector);
        AssertKerberosKey(vector, type);

        byte[] saltp = new byte[AesSha2StringToKey.GetSaltpLength(type, vector.Salt.Length)];
        AesSha2StringToKey.WriteSaltp(type, vector.Salt, saltp);
        AssertHex(vector.GetHex("saltp_hex")!, saltp, vector);
    }

    [Theory]
    [MemberData(nameof(Rfc3962IntermediateVectors))]
    public void Rfc3962_intermediate_key_matches_published_vector(int index)
    {
        PublicVector vector = PublicVectorFile.Get(index);
        int length = vector.Algorithm.Contains("128-bit", StringComparison.Ordinal) ? 16 : 32;
        Assert.Equal(length, vector.Expected.Length);
        byte[] tkey = new byte[length];
        AesSha1StringToKey.DeriveTemporaryKey(vector.PasswordUtf8Bytes, vector.Salt, vector.Iterations!.Value, tkey);
        AssertHex(vector.Expected, tkey, vector);
    }

    [Theory]
    [MemberData(nameof(Rfc8009IntermediateVectors))]
    public void Rfc8009_intermediate_key_matches_published_vector(int index)
    {
        PublicVector vector = PublicVectorFile.Get(index);

        // salt_hex of these entries is the whole saltp; split off the etype name and NUL to feed the library its salt.
        KerberosEncryptionType type = vector.Algorithm.Contains("sha384", StringComparison.Ordinal)
            ? KerberosEncryptionType.Aes256CtsHmacSha384192
            : KerberosEncryptionType.Aes128CtsHmacSha256128;
        byte[] saltp = vector.Salt;
        byte[] name = Encoding.ASCII.GetBytes(KerberosEncryptionTypes.GetName(type));
        Assert.Equal(name, saltp[..name.Length]);
        Assert.Equal(0, saltp[name.Length]);
        byte[] tkey = new byte[vector.GetInt("dklen")];
        AesSha2StringToKey.DeriveTemporaryKey(type, vector.PasswordUtf8Bytes, saltp.AsSpan(name.Length + 1), vector.Iterations!.Value, tkey);
        AssertHex(vector.Expected, tkey, vector);
    }

    [Theory]
    [MemberData(nameof(PlainPbkdf2Vectors))]
    public void Platform_pbkdf2_the_library_builds_on_matches_published_vector(int index)
    {
        // The library delegates PBKDF2 to Rfc2898DeriveBytes (RFC 3962, RFC 8009, the salted digest); these RFC 6070 /
        // RFC 7914 / RFC 3211 entries pin that primitive, including embedded NULs and binary salts.
        PublicVector vector = PublicVectorFile.Get(index);
        HashAlgorithmName hash = vector.Algorithm == "pbkdf2-hmac-sha1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        byte[] output = Rfc2898DeriveBytes.Pbkdf2(vector.PasswordUtf8Bytes, vector.Salt, vector.Iterations!.Value, hash, vector.GetInt("dklen"));
        AssertHex(vector.Expected, output, vector);
    }

    [Theory]
    [MemberData(nameof(SaltedDigestVectors))]
    public void SaltedDigest_matches_published_hash_and_wire_string(int index)
    {
        PublicVector vector = PublicVectorFile.Get(index);
        byte[] salt = vector.Salt;
        int iterations = vector.Iterations!.Value;
        string formatted = vector.GetString("formatted")!;
        byte[] ntHash = vector.GetHex("nt_hash_hex") ?? NtHash.Compute(vector.PasswordText);

        SaltedDigest digest = vector.GetHex("nt_hash_hex") is null
            ? SaltedDigest.FromPassword(vector.PasswordText, salt, iterations)
            : SaltedDigest.FromNtHash(ntHash, salt, iterations);
        AssertHex(vector.Expected, digest.Hash.ToArray(), vector);
        Assert.Equal(formatted, digest.ToWireString());

        byte[] hash = new byte[SaltedDigest.HashSize];
        Assert.True(SaltedDigest.TryComputeHash(ntHash, salt, iterations, hash, out int written));
        Assert.Equal(SaltedDigest.HashSize, written);
        AssertHex(vector.Expected, hash, vector);

        SaltedDigest parsed = SaltedDigest.Parse(formatted);
        Assert.Equal(digest, parsed);
        Assert.True(parsed.MatchesNtHash(ntHash));
        Assert.Equal(DigestVerificationStatus.Success, SaltedDigestVerifier.Default.VerifyNtHash(ntHash, formatted).Status);
        if (vector.GetHex("nt_hash_hex") is null)
        {
            Assert.Equal(DigestVerificationStatus.Success, SaltedDigestVerifier.Default.Verify(vector.PasswordText, formatted).Status);
        }
    }

    private static void AssertKerberosKey(PublicVector vector, KerberosEncryptionType type)
    {
        int iterations = vector.Iterations!.Value;
        byte[] key = new byte[KerberosEncryptionTypes.GetKeySize(type)];
        if (vector.PasswordIsRawUtf16)
        {
            byte[] utf16 = vector.PasswordUtf16Bytes;
            Assert.Equal(key.Length, KerberosKeyDerivation.DeriveKeyFromUtf16(type, utf16, vector.Salt, key, iterations));
            AssertHex(vector.Expected, key, vector);

            // The same code units as a char span (lone surrogates included) must give the same key.
            char[] chars = new char[utf16.Length / 2];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)(utf16[2 * i] | (utf16[(2 * i) + 1] << 8));
            }

            Array.Clear(key);
            KerberosKeyDerivation.DeriveKey(type, chars, vector.Salt, key, iterations);
            AssertHex(vector.Expected, key, vector);
            return;
        }

        string password = vector.PasswordText;
        Assert.True(KerberosKeyDerivation.TryDeriveKey(type, password, vector.Salt, key, out int written, iterations));
        Assert.Equal(key.Length, written);
        AssertHex(vector.Expected, key, vector);

        using KerberosKey keyObject = KerberosKeyDerivation.DeriveKey(type, password, vector.Salt, iterations);
        AssertHex(vector.Expected, keyObject.Key.ToArray(), vector);
        Assert.Equal(iterations, keyObject.IterationCount);
        Assert.Equal(vector.Salt, keyObject.Salt.ToArray());

        IReadOnlyList<KerberosKey> set = KerberosKeyDerivation.DeriveKeys(password, vector.Salt, [type], iterations);
        AssertHex(vector.Expected, set.Single().Key.ToArray(), vector);
    }

    private static void AssertHex(byte[] expected, byte[] actual, PublicVector vector) =>
        Assert.True(
            expected.AsSpan().SequenceEqual(actual),
            $"{vector} ({vector.Source}): expected {Convert.ToHexStringLower(expected)}, got {Convert.ToHexStringLower(actual)}.");

    private static bool IsNFold(string algorithm) => algorithm == "n-fold";

    private static bool IsMd4(string algorithm) => algorithm == "MD4";

    private static bool IsNtHash(string algorithm) => algorithm.StartsWith("rc4-hmac string-to-key", StringComparison.Ordinal);

    private static bool IsLmHash(string algorithm) => algorithm.StartsWith("LMOWFv1", StringComparison.Ordinal);

    private static bool IsDes(string algorithm) => algorithm.StartsWith("des-cbc-md5", StringComparison.Ordinal);

    private static bool IsAesSha1(string algorithm) =>
        algorithm.StartsWith("aes128-cts-hmac-sha1-96 string-to-key", StringComparison.Ordinal) ||
        algorithm.StartsWith("aes256-cts-hmac-sha1-96 string-to-key", StringComparison.Ordinal);

    private static bool IsAesSha2(string algorithm) =>
        algorithm.StartsWith("aes128-cts-hmac-sha256-128 string-to-key", StringComparison.Ordinal) ||
        algorithm.StartsWith("aes256-cts-hmac-sha384-192 string-to-key", StringComparison.Ordinal);

    private static bool IsRfc3962Intermediate(string algorithm) => algorithm.StartsWith("pbkdf2-hmac-sha1 (RFC 3962 intermediate", StringComparison.Ordinal);

    private static bool IsRfc8009Intermediate(string algorithm) => algorithm.Contains("(RFC 8009 intermediate", StringComparison.Ordinal);

    private static bool IsPlainPbkdf2(string algorithm) => algorithm is "pbkdf2-hmac-sha1" or "pbkdf2-hmac-sha256";

    private static bool IsSaltedDigest(string algorithm) => algorithm.StartsWith("OrgIdHash / PPH1_MD4", StringComparison.Ordinal);
}
