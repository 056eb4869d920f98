using System.Security.Cryptography;
using PasswordHashSync.Batch.Kernels;

namespace PasswordHashSync.UnitTests;

/// <summary>
/// Rule: the batch's allocation-free AES-NI DK step equals RFC 3961 DK computed with .NET's (OpenSSL) AES, for
/// AES128 and AES256 input keys.
/// </summary>
public sealed class BatchAesNiDerivedKeyTests
{
    // RFC 3961 A.1: 128-fold("kerberos").
    private static readonly byte[] KerberosConstant = Convert.FromHexString("6b65726265726f737b9b5b2b93132b93");

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    public void DeriveAesKey_equals_DK_with_OpenSSL_AES_for_random_keys(int keySize)
    {
        using var aes = Aes.Create();
        for (int i = 0; i < 200; i++)
        {
            byte[] tkey = RandomNumberGenerator.GetBytes(keySize);
            aes.Key = tkey;
            byte[] k1 = aes.EncryptEcb(KerberosConstant, PaddingMode.None);
            byte[] expected = keySize == 16 ? k1 : [.. k1, .. aes.EncryptEcb(k1, PaddingMode.None)];

            byte[] actual = new byte[keySize];
            AesNiDerivedKey.DeriveAesKey(tkey, actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void DeriveAesKey_allocates_nothing()
    {
        // Fails loudly rather than passing vacuously on a CPU without AES-NI (where the allocating fallback runs).
        Assert.True(System.Runtime.Intrinsics.X86.Aes.IsSupported, "This rule is about the AES-NI path; the CPU has no AES-NI.");
        byte[] tkey = RandomNumberGenerator.GetBytes(32);
        byte[] destination = new byte[32];
        AesNiDerivedKey.DeriveAesKey(tkey, destination);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            AesNiDerivedKey.DeriveAesKey(tkey, destination);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
