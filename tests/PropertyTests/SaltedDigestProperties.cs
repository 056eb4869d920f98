using System.Security.Cryptography;
using System.Text;
using FsCheck.Xunit;
using PasswordHashSync.Digest;

namespace PasswordHashSync.PropertyTests;

/// <summary>The salted digest against PBKDF2 over the documented input built independently; overloads; verify.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 100)]
public class SaltedDigestProperties
{
    [Property]
    public bool Digest_equals_pbkdf2_over_utf16le_uppercase_hex_of_nt_hash(AnyUtf16 password, DigestSalt salt, SmallCount iterations)
    {
        byte[] nt = NtHash.Compute(password.Value);

        // The documented input, built with the BCL rather than the library: UTF-16LE of the UPPERCASE hex string.
        byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(nt));
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(input, salt.Value, iterations.Value, HashAlgorithmName.SHA256, 32);
        return expected.AsSpan().SequenceEqual(SaltedDigest.FromNtHash(nt, salt.Value, iterations.Value).Hash.Span);
    }

    [Property(MaxTest = 5)]
    public bool Digest_equals_pbkdf2_at_the_production_count_of_1000(AnyUtf16 password, DigestSalt salt)
    {
        byte[] nt = NtHash.Compute(password.Value);
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(Encoding.Unicode.GetBytes(Convert.ToHexString(nt)), salt.Value, 1000, HashAlgorithmName.SHA256, 32);
        return expected.AsSpan().SequenceEqual(SaltedDigest.FromPassword(password.Value, salt.Value, 1000).Hash.Span);
    }

    [Property]
    public void All_digest_overloads_agree(AnyUtf16 password, DigestSalt salt, SmallCount iterations)
    {
        byte[] nt = NtHash.Compute(password.Value);
        SaltedDigest fromPassword = SaltedDigest.FromPassword(password.Value, salt.Value, iterations.Value);
        SaltedDigest fromNtHash = SaltedDigest.FromNtHash(nt, salt.Value, iterations.Value);

        byte[] computed = new byte[32];
        Assert.Equal(32, SaltedDigest.ComputeHash(nt, salt.Value, iterations.Value, computed));
        byte[] tried = new byte[40];
        Assert.True(SaltedDigest.TryComputeHash(nt, salt.Value, iterations.Value, tried, out int written));
        Assert.Equal(32, written);

        Assert.Equal(fromPassword, fromNtHash);
        Assert.Equal(fromPassword.Hash.ToArray(), computed);
        Assert.Equal(computed, tried[..32]);
        Assert.Equal(fromPassword, new SaltedDigest(salt.Value, iterations.Value, computed));
        Assert.True(fromPassword.MatchesPassword(password.Value));
        Assert.True(fromPassword.MatchesNtHash(nt));
    }

    [Property]
    public void Verify_of_compute_succeeds_and_any_flipped_bit_in_salt_or_hash_fails(AnyUtf16 password, DigestSalt salt, SmallCount iterations, BitFlip flip)
    {
        var verifier = new SaltedDigestVerifier(currentIterationCount: 1, maxIterationCount: 100);
        SaltedDigest digest = SaltedDigest.FromPassword(password.Value, salt.Value, iterations.Value);
        Assert.Equal(DigestVerificationStatus.Success, verifier.Verify(password.Value, digest.ToWireString()).Status);
        Assert.Equal(DigestVerificationStatus.Success, verifier.VerifyNtHash(NtHash.Compute(password.Value), digest.ToWireString()).Status);

        byte[] badSalt = salt.Value.ToArray();
        badSalt[flip.Seed % badSalt.Length] ^= (byte)(1 << (flip.Seed / 64 % 8));
        byte[] badHash = digest.Hash.ToArray();
        badHash[flip.Seed % 32] ^= (byte)(1 << (flip.Seed / 32 % 8));

        foreach (SaltedDigest tampered in new[] { new SaltedDigest(badSalt, iterations.Value, digest.Hash.Span), new SaltedDigest(salt.Value, iterations.Value, badHash) })
        {
            DigestVerificationResult result = verifier.Verify(password.Value, tampered.ToWireString());
            Assert.Equal(DigestVerificationStatus.Failed, result.Status);
            Assert.Equal(DigestVerificationFailure.Mismatch, result.Failure);
            Assert.False(tampered.MatchesPassword(password.Value));
        }
    }
}
