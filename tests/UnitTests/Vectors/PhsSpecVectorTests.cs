using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests.Vectors;

/// <summary>Published salted-digest and Kerberos vectors (provenance in tests/Vectors/README.md).</summary>
public class PhsSpecVectorTests
{
    // Salted digests: password, salt hex, iterations, expected dk (the DSInternals blog post "How Azure Active
    // Directory Connect syncs passwords", ConvertTo-OrgIdHash.md @894f5ed, old DSInternals tests, John the Ripper's AzureAD format).
    public static TheoryData<string, string, int, string> Digests => new()
    {
        { "Pa$$w0rd", "181a3024085fcee2f70e", 1000, "b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a" },
        { "Pa$$w0rd", "a42b92067e4b8123101a", 1000, "f0fc762ea9051ef754652becd83ee5e54c1c857c1c0965abac5d85de9c143911" },
        { "Pa$$w0rd", "60eaffd2c886b419df7a", 1000, "ab9c532104713157395a70da85cc8a1b418508753c6997f02341d541328ef16b" },
        { "Pa$$w0rd", "46c0c5d9095185ce5cf8", 1000, "6bb7b360d9105ed5157460b343d5d143e465a59195bc9b568718268c334ea4a9" },
        { "Pa$$w0rd", "317ee9d1dec6508fa510", 100, "f4a257ffec53809081a605ce8ddedfbc9df9777b80256763bc0a6dd895ef404f" },
        { "", "317ee9d1dec6508fa510", 100, "f56b3637eb57e927438c6d0ebbd69d1d95f8e849912915a6733a33921c8e4806" },
        { "openwall", "724b754c4b6d30526f36", 100, "367ff0ac2a1cb334bb26609c8bfc8ae5f619d1eaf07568df040f407504a20241" },
        { "JohnTheRipper", "465564476f786e705069", 100, "612a80cb011bee1f929c7a9e2bd16d98a79f2deb9f44919100f7c0ec74508560" },
        { "password", "31414275383876386e32", 100, "102ce242cde4339e934d7c6b539d49ae340b02dd380815666b98bd036cd4dc4f" },
    };

    [Theory]
    [MemberData(nameof(Digests))]
    public void SaltedDigest_reproduces_published_digest(string password, string saltHex, int iterations, string expectedHex)
    {
        byte[] salt = Convert.FromHexString(saltHex);
        SaltedDigest digest = SaltedDigest.FromPassword(password, salt, iterations);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(digest.Hash.Span));
        Assert.Equal($"v1;PPH1_MD4,{saltHex},{iterations},{expectedHex};", digest.ToWireString());
        Assert.True(SaltedDigestVerifier.Default.Verify(password, digest.ToWireString()).Succeeded);
    }

    [Fact]
    public void SaltedDigest_never_produces_the_lowercase_hex_negative_vector()
    {
        // Negative vector for the hex case: Pa$$w0rd with the salt of ConvertTo-OrgIdHash.md example 3 (a42b92067e4b8123101a)
        // and 1000 iterations over LOWER-case hex gives this value, which is wrong; the library must not produce it.
        const string WrongLowercaseDigest = "b93edc560d11e8d19d700ae2a5ba0aff4636b8112f90572fe57867c382fe52c4";
        byte[] salt = Convert.FromHexString("a42b92067e4b8123101a");
        byte[] ntHash = NtHash.Compute("Pa$$w0rd");

        SaltedDigest digest = SaltedDigest.FromNtHash(ntHash, salt, 1000);
        Assert.NotEqual(WrongLowercaseDigest, Convert.ToHexStringLower(digest.Hash.Span));
        Assert.Equal("f0fc762ea9051ef754652becd83ee5e54c1c857c1c0965abac5d85de9c143911", Convert.ToHexStringLower(digest.Hash.Span));

        // The negative value is what the lowercase mistake really gives (so the check above is not vacuous), and a
        // digest carrying it must not verify the right password.
        byte[] lowercaseInput = Encoding.Unicode.GetBytes(Convert.ToHexStringLower(ntHash));
        Assert.Equal(WrongLowercaseDigest, Convert.ToHexStringLower(Rfc2898DeriveBytes.Pbkdf2(lowercaseInput, salt, 1000, HashAlgorithmName.SHA256, 32)));
        DigestVerificationResult result = SaltedDigestVerifier.Default.Verify("Pa$$w0rd", $"v1;PPH1_MD4,a42b92067e4b8123101a,1000,{WrongLowercaseDigest};");
        Assert.Equal(DigestVerificationFailure.Mismatch, result.Failure);
    }

    [Fact]
    public void KerberosKeys_reproduce_ConvertTo_KerberosKey_sample()
    {
        // DSInternals ConvertTo-KerberosKey.md @894f5ed: Pa$$w0rd, salt CONTOSO.COMAdministrator, 4096 iterations.
        byte[] salt = KerberosSalt.ForUser("contoso.com", "Administrator");
        Assert.Equal("CONTOSO.COMAdministrator"u8.ToArray(), salt);
        IReadOnlyList<KerberosKey> keys = KerberosKeyDerivation.DeriveKeys(
            "Pa$$w0rd",
            salt,
            [KerberosEncryptionType.Aes256CtsHmacSha196, KerberosEncryptionType.Aes128CtsHmacSha196, KerberosEncryptionType.DesCbcMd5]);
        Assert.Equal("660e61042b190b5724c62bb473facca12058fb9ad3c03c0d2809f839c0352502", Convert.ToHexStringLower(keys[0].Key.Span));
        Assert.Equal("bd75e98362b16649ffbaed630d5341d0", Convert.ToHexStringLower(keys[1].Key.Span));
        Assert.Equal("aed02c52204ca2ce", Convert.ToHexStringLower(keys[2].Key.Span));
        Assert.All(keys.Take(2), k => Assert.Equal(4096, k.IterationCount));
    }

    [Fact]
    public void Rfc_sanity_checks_from_spec_section_5_3()
    {
        // RFC 3962 Appendix B: AES128("password", "ATHENA.MIT.EDUraeburn", 1); RFC 3961 A.2: DES of the same input.
        byte[] salt = "ATHENA.MIT.EDUraeburn"u8.ToArray();
        byte[] aes = new byte[16];
        KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes128CtsHmacSha196, "password", salt, aes, 1);
        Assert.Equal("42263c6e89f4fc28b8df68ee09799f15", Convert.ToHexStringLower(aes));
        byte[] des = new byte[8];
        KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.DesCbcMd5, "password", salt, des);
        Assert.Equal("cbc22fae235298e3", Convert.ToHexStringLower(des));
    }

    [Fact]
    public void Computer_account_never_gets_the_user_style_salt_of_the_Rubeus_regression()
    {
        // public-vectors.json carries the key Rubeus 1.5.0 derived for KNOWNPASS$ with a user-style salt
        // (19dcd95f5bfc708eb0b55facb957a8ae); the DC holds the computer-salt key instead.
        byte[] salt = KerberosSalt.For(KerberosAccountType.Computer, "sittingduck.info", "KNOWNPASS$");
        Assert.Equal("SITTINGDUCK.INFOhostknownpass.sittingduck.info"u8.ToArray(), salt);
        byte[] key = new byte[16];
        KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes128CtsHmacSha196, "ASDqwe123", salt, key);
        Assert.NotEqual("19dcd95f5bfc708eb0b55facb957a8ae", Convert.ToHexStringLower(key));
    }
}
