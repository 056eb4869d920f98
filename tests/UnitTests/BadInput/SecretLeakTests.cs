using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests.BadInput;

/// <summary>Rule: no exception message, result message or ToString() contains a password, NT hash, digest hash or key.</summary>
public class SecretLeakTests
{
    private const string Password = "S3cr3t-Marker-Pa55";

    [Fact]
    public void Exception_messages_never_contain_the_password()
    {
        byte[] salt = KerberosSalt.ForUser("contoso.com", "user");
        string longPassword = Password + Password;
        var calls = new List<Action>
        {
            () => LmHash.Compute(longPassword),
            () => LmHash.Compute(Password, -5),
            () => LmHash.TryCompute(Password, 437, new byte[3], out _),
            () => NtHash.Compute(Password, new byte[3]),
            () => KerberosKeyDerivation.DeriveKey((KerberosEncryptionType)16, Password, salt, new byte[32]),
            () => KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, Password, salt, new byte[3]),
            () => KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, Password, salt, new byte[32], 0),
            () => KerberosKeyDerivation.DeriveKeys(Password, salt, [KerberosEncryptionType.Rc4Hmac, KerberosEncryptionType.Rc4Hmac]),
            () => SaltedDigest.FromPassword(Password, [], 1000),
            () => SaltedDigest.FromPassword(Password, new byte[10], -1),
        };

        foreach (Action call in calls)
        {
            Exception exception = Assert.ThrowsAny<ArgumentException>(call);
            Assert.DoesNotContain(Password, exception.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Password, exception.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Digest_ToString_and_verification_results_hide_the_hash()
    {
        SaltedDigest digest = SaltedDigest.FromPassword(Password, new byte[10], 10);
        string hashHex = Convert.ToHexStringLower(digest.Hash.Span);
        string ntHex = Convert.ToHexStringLower(NtHash.Compute(Password));
        Assert.DoesNotContain(hashHex, digest.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(hashHex, digest.ToWireString(), StringComparison.Ordinal);

        var verifier = new SaltedDigestVerifier(10, 20);
        foreach (string wire in new[] { digest.ToWireString(), digest.ToWireString() + "x", digest.ToWireString().Replace(",10,", ",30,", StringComparison.Ordinal) })
        {
            foreach (DigestVerificationResult result in new[] { verifier.Verify(Password, wire), verifier.Verify("other", wire) })
            {
                string text = result.ToString() + result.Message;
                Assert.DoesNotContain(hashHex, text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(ntHex, text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void KerberosKey_ToString_hides_the_key()
    {
        byte[] salt = KerberosSalt.ForUser("contoso.com", "user");
        foreach (KerberosKey key in KerberosKeyDerivation.DeriveKeys(Password, salt, [.. KerberosEncryptionTypes.All], 10))
        {
            string text = key.ToString();
            Assert.DoesNotContain(Convert.ToHexStringLower(key.Key.Span), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.Contains(KerberosEncryptionTypes.GetName(key.EncryptionType), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void KerberosKey_Dispose_zeroes_the_key()
    {
        KerberosKey key = KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, Password, "X"u8, 10);
        Assert.Contains(key.Key.ToArray(), b => b != 0);
        key.Dispose();
        Assert.All(key.Key.ToArray(), b => Assert.Equal(0, b));
    }
}
