using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests;

/// <summary>
/// Rule: the span hot paths allocate nothing per call. Measured with the per-thread allocation counter around a
/// warmed-up call (an allocation assertion, not a timing one).
/// </summary>
public class AllocationTests
{
    private const string Password = "Correct Horse Battery Staple \u00e9\u4e2d\U0001F511";

    [Fact]
    public void NtHash_TryCompute_allocates_nothing()
    {
        byte[] destination = new byte[16];
        Assert.Equal(0, Measure(() => NtHash.TryCompute(Password, destination, out _)));
    }

    [Fact]
    public void SaltedDigest_TryComputeHash_allocates_nothing()
    {
        byte[] ntHash = NtHash.Compute(Password);
        byte[] salt = new byte[SaltedDigest.SaltSize];
        byte[] destination = new byte[SaltedDigest.HashSize];
        Assert.Equal(0, Measure(() => SaltedDigest.TryComputeHash(ntHash, salt, 10, destination, out _)));
    }

    [Theory]
    [InlineData(KerberosEncryptionType.Aes256CtsHmacSha196)]
    [InlineData(KerberosEncryptionType.Aes128CtsHmacSha196)]
    [InlineData(KerberosEncryptionType.Aes128CtsHmacSha256128)]
    [InlineData(KerberosEncryptionType.Aes256CtsHmacSha384192)]
    [InlineData(KerberosEncryptionType.Rc4Hmac)]
    public void KerberosKeyDerivation_TryDeriveKey_allocates_nothing(KerberosEncryptionType type)
    {
        byte[] salt = KerberosSalt.ForUser("contoso.com", "Administrator");
        byte[] destination = new byte[32];
        Assert.Equal(0, Measure(() => KerberosKeyDerivation.TryDeriveKey(type, Password, salt, destination, out _, 10)));
    }

    private static long Measure(Func<bool> call)
    {
        // Warm up past tiered-JIT promotion: static constructors, the platform crypto's lazily created handles.
        for (int i = 0; i < 50; i++)
        {
            Assert.True(call());
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            call();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
