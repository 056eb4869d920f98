using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Crypto.Digests;
using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests.DependencyInjection;

/// <summary>
/// Rule: the services resolved from the container use the configured iteration counts, cap, Kerberos types and
/// LM settings. Expected values come from published vectors or from a reference path written here
/// (BouncyCastle MD4 + .NET PBKDF2), never from the library itself.
/// </summary>
public sealed class DependencyInjectionSettingsTests
{
    // reference-phs-spec.md §1.2: old DSInternals test / John the Ripper AzureAD, 100 iterations.
    private const string HundredIterationVector =
        "v1;PPH1_MD4,317ee9d1dec6508fa510,100,f4a257ffec53809081a605ce8ddedfbc9df9777b80256763bc0a6dd895ef404f;";

    // reference-phs-spec.md §1.2: DSInternals blog, 1000 iterations.
    private const string ThousandIterationVector =
        "v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;";

    private const string VectorPassword = "Pa$$w0rd";

    [Fact]
    public void Default_verifier_reports_a_100_iteration_published_digest_as_SuccessRehashNeeded()
    {
        using ServiceProvider provider = new ServiceCollection().AddPasswordHashSync().BuildServiceProvider();
        ISaltedDigestVerifier verifier = provider.GetRequiredService<ISaltedDigestVerifier>();

        Assert.Equal(DigestVerificationStatus.SuccessRehashNeeded, verifier.Verify(VectorPassword, HundredIterationVector).Status);
        Assert.Equal(DigestVerificationStatus.Success, verifier.Verify(VectorPassword, ThousandIterationVector).Status);
        Assert.Equal(DigestVerificationFailure.Mismatch, verifier.Verify("Pa$$w0rD", ThousandIterationVector).Failure);
    }

    [Fact]
    public void Configured_current_count_of_100_makes_the_100_iteration_digest_current()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddPasswordHashSync(o => o.DigestIterationCount = 100)
            .BuildServiceProvider();

        Assert.Equal(DigestVerificationStatus.Success, provider.GetRequiredService<ISaltedDigestVerifier>().Verify(VectorPassword, HundredIterationVector).Status);
    }

    [Fact]
    public void Configured_cap_refuses_a_digest_above_it_before_any_work()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddPasswordHashSync(o => { o.DigestIterationCount = 50; o.MaxDigestIterationCount = 99; })
            .BuildServiceProvider();
        ISaltedDigestVerifier verifier = provider.GetRequiredService<ISaltedDigestVerifier>();

        DigestVerificationResult result = verifier.Verify(VectorPassword, HundredIterationVector);

        Assert.Equal(DigestVerificationFailure.IterationCountAboveLimit, result.Failure);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Configured_cap_equal_to_the_digest_count_still_verifies()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddPasswordHashSync(o => { o.DigestIterationCount = 100; o.MaxDigestIterationCount = 100; })
            .BuildServiceProvider();

        Assert.Equal(DigestVerificationStatus.Success, provider.GetRequiredService<ISaltedDigestVerifier>().Verify(VectorPassword, HundredIterationVector).Status);
        Assert.Equal(DigestVerificationFailure.IterationCountAboveLimit, provider.GetRequiredService<ISaltedDigestVerifier>().Verify(VectorPassword, ThousandIterationVector).Failure);
    }

    [Fact]
    public void Deriver_uses_the_configured_digest_iteration_count()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddPasswordHashSync(o => o.DigestIterationCount = 1234)
            .BuildServiceProvider();
        ICredentialDeriver deriver = provider.GetRequiredService<ICredentialDeriver>();

        SaltedDigest digest = deriver.ComputeSaltedDigest("correct horse");

        Assert.Equal(1234, digest.IterationCount);
        Assert.Equal(SaltedDigest.SaltSize, digest.Salt.Length);
        Assert.Equal(ReferenceOrgIdHash("correct horse", digest.Salt.Span, 1234), digest.Hash.ToArray());
        Assert.Equal(SaltedDigest.FromPassword("correct horse", digest.Salt.Span, 1234), digest);
        Assert.Equal(DigestVerificationStatus.Success, provider.GetRequiredService<ISaltedDigestVerifier>().Verify("correct horse", digest.ToWireString()).Status);
    }

    [Fact]
    public void Deriver_digest_from_NT_hash_uses_the_configured_count()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddPasswordHashSync(o => o.DigestIterationCount = 777)
            .BuildServiceProvider();
        byte[] ntHash = ReferenceNtHash("Password");

        SaltedDigest digest = provider.GetRequiredService<ICredentialDeriver>().ComputeSaltedDigestFromNtHash(ntHash);

        Assert.Equal(777, digest.IterationCount);
        Assert.Equal(ReferenceOrgIdHash("Password", digest.Salt.Span, 777), digest.Hash.ToArray());
    }

    [Fact]
    public void Deriver_default_digest_matches_a_published_1000_iteration_vector_when_the_salt_is_fixed()
    {
        using ServiceProvider provider = new ServiceCollection().AddPasswordHashSync().BuildServiceProvider();
        SaltedDigest digest = provider.GetRequiredService<ICredentialDeriver>().ComputeSaltedDigest(VectorPassword);
        SaltedDigest published = SaltedDigest.Parse(ThousandIterationVector);

        Assert.Equal(published.IterationCount, digest.IterationCount);
        Assert.Equal(published.Hash.ToArray(), ReferenceOrgIdHash(VectorPassword, published.Salt.Span, digest.IterationCount));
    }

    [Fact]
    public void Deriver_NT_hash_matches_MS_NLMP()
    {
        using ServiceProvider provider = new ServiceCollection().AddPasswordHashSync().BuildServiceProvider();
        Span<byte> hash = stackalloc byte[16];

        Assert.Equal(16, provider.GetRequiredService<ICredentialDeriver>().ComputeNtHash("Password", hash));
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Deriver_uses_the_configured_Kerberos_types_order_and_iteration_count()
    {
        // RFC 3962 Appendix B, "password" / "ATHENA.MIT.EDUraeburn", 2 iterations.
        using ServiceProvider provider = new ServiceCollection()
            .AddPasswordHashSync(o =>
            {
                o.KerberosEncryptionTypes.Clear();
                o.KerberosEncryptionTypes.Add(KerberosEncryptionType.Aes128CtsHmacSha196);
                o.KerberosEncryptionTypes.Add(KerberosEncryptionType.Aes256CtsHmacSha196);
                o.KerberosIterationCount = 2;
            })
            .BuildServiceProvider();

        IReadOnlyList<KerberosKey> keys = provider.GetRequiredService<ICredentialDeriver>()
            .DeriveKerberosKeys("password", Encoding.UTF8.GetBytes("ATHENA.MIT.EDUraeburn"));

        Assert.Equal(2, keys.Count);
        Assert.Equal(KerberosEncryptionType.Aes128CtsHmacSha196, keys[0].EncryptionType);
        Assert.Equal("c651bf29e2300ac27fa469d693bdda13", Convert.ToHexStringLower(keys[0].Key.Span));
        Assert.Equal(2, keys[0].IterationCount);
        Assert.Equal(KerberosEncryptionType.Aes256CtsHmacSha196, keys[1].EncryptionType);
        Assert.Equal("a2e16d16b36069c135d5e9d2e25f896102685618b95914b467c67622225824ff", Convert.ToHexStringLower(keys[1].Key.Span));
    }

    [Fact]
    public void Deriver_default_Kerberos_types_are_the_Active_Directory_set()
    {
        using ServiceProvider provider = new ServiceCollection().AddPasswordHashSync().BuildServiceProvider();

        IReadOnlyList<KerberosKey> keys = provider.GetRequiredService<ICredentialDeriver>()
            .DeriveKerberosKeys("Password", Encoding.UTF8.GetBytes("EXAMPLE.COMuser"));

        Assert.Equal(KerberosEncryptionTypes.ActiveDirectoryDefaults, keys.Select(k => k.EncryptionType));
        // RC4-HMAC's key is the NT hash (MS-KILE), so MS-NLMP's NTOWFv1("Password") checks that entry.
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", Convert.ToHexStringLower(keys.Single(k => k.EncryptionType == KerberosEncryptionType.Rc4Hmac).Key.Span));
    }

    [Fact]
    public void LM_hash_is_refused_unless_enabled()
    {
        using ServiceProvider provider = new ServiceCollection().AddPasswordHashSync().BuildServiceProvider();
        byte[] hash = new byte[16];

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(
            () => provider.GetRequiredService<ICredentialDeriver>().TryComputeLmHash("Password", hash, out _));
        Assert.Contains(nameof(PasswordHashSyncOptions.EnableLmHash), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LM_hash_when_enabled_matches_MS_NLMP()
    {
        using ServiceProvider provider = new ServiceCollection()
            .AddPasswordHashSync(o => o.EnableLmHash = true)
            .BuildServiceProvider();
        byte[] hash = new byte[16];

        Assert.True(provider.GetRequiredService<ICredentialDeriver>().TryComputeLmHash("Password", hash, out int written));
        Assert.Equal(16, written);
        Assert.Equal("e52cac67419a9a224a3b108f3fa6cb6d", Convert.ToHexStringLower(hash));
    }

    /// <summary>NT hash by BouncyCastle's MD4, independent of the library's MD4.</summary>
    private static byte[] ReferenceNtHash(string password)
    {
        byte[] utf16 = Encoding.Unicode.GetBytes(password);
        var md4 = new MD4Digest();
        md4.BlockUpdate(utf16, 0, utf16.Length);
        byte[] hash = new byte[16];
        md4.DoFinal(hash, 0);
        return hash;
    }

    /// <summary>PBKDF2-HMAC-SHA256(UTF-16LE(UPPERCASE hex(NT hash)), salt, n, 32) as documented in reference-phs-spec.md §1.2.</summary>
    private static byte[] ReferenceOrgIdHash(string password, ReadOnlySpan<byte> salt, int iterations)
    {
        byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(ReferenceNtHash(password)));
        return Rfc2898DeriveBytes.Pbkdf2(input, salt, iterations, HashAlgorithmName.SHA256, 32);
    }
}
