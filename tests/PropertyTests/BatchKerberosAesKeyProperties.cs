using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using PasswordHashSync.Batch;
using PasswordHashSync.Batch.Kernels;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.PropertyTests;

/// <summary>
/// The Kerberos AES key batch equals an independent RFC 3962 reference built here (Rfc2898DeriveBytes.Pbkdf2 over
/// UTF-8 + AES-ECB DK with the RFC 3961 n-fold constant) and the single-operation KerberosKeyDerivation, on every path.
/// </summary>
public sealed class BatchKerberosAesKeyProperties
{
    // RFC 3961 A.1: 128-fold("kerberos").
    private static readonly byte[] KerberosConstant = Convert.FromHexString("6b65726265726f737b9b5b2b93132b93");

    private static readonly Gen<(string Password, byte[] Salt)> PairGen =
        from password in BatchGenerators.Password(80)
        from salt in Gen.Frequency(
            (4, BatchGenerators.Bytes(0, 60)),
            (1, BatchGenerators.Bytes(60, 250)),
            (1, BatchGenerators.Bytes(240, 300)))
        select (password, salt);

    [Fact]
    public void Aes256_and_Aes128_on_every_path_equal_the_reference_and_the_single_operation()
    {
        var ran = new HashSet<SimdPath>();
        Gen<((string Password, byte[] Salt)[] Pairs, int Iterations, bool Aes256)> batchGen =
            from pairs in BatchGenerators.Batch(PairGen)
            from iterations in BatchGenerators.SmallIterationCount
            from aes256 in Gen.Elements(true, false)
            select (pairs, iterations, aes256);
        Prop.ForAll(
            batchGen.ToArbitrary(),
            batch =>
            {
                KerberosEncryptionType type = batch.Aes256 ? KerberosEncryptionType.Aes256CtsHmacSha196 : KerberosEncryptionType.Aes128CtsHmacSha196;
                int keySize = batch.Aes256 ? 32 : 16;
                string[] passwords = batch.Pairs.Select(p => p.Password).ToArray();
                byte[][] salts = batch.Pairs.Select(p => p.Salt).ToArray();
                byte[] expected = Expected(passwords, salts, batch.Iterations, type, keySize);
                foreach (SimdPath path in BatchPaths.Supported)
                {
                    using (BatchKernelSelector.Force(path))
                    {
                        byte[] actual = new byte[expected.Length];
                        KerberosAesKeyBatch.DeriveKeys(type, passwords, salts, actual, batch.Iterations);
                        Assert.Equal(expected, actual);

                        byte[] parallel = new byte[expected.Length];
                        KerberosAesKeyBatch.DeriveKeysParallel(type, passwords, salts, parallel, batch.Iterations, maxDegreeOfParallelism: 2);
                        Assert.Equal(expected, parallel);
                    }

                    ran.Add(path);
                }

                // Unforced: the best path, with the partial last chunk narrowed to fewer lanes or the scalar code.
                byte[] unforced = new byte[expected.Length];
                KerberosAesKeyBatch.DeriveKeys(type, passwords, salts, unforced, batch.Iterations);
                Assert.Equal(expected, unforced);
            }).Check(BatchPaths.CheckConfig(20));

        BatchPaths.AssertAllRan(ran);
    }

    [Fact]
    public void Default_4096_iterations_on_every_path_equal_the_reference()
    {
        string[] passwords = ["password", "p\u00e4ssw\u00f6rd\ud800", new string('x', 70), "\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac", "", "Tr0ub4dor&3"];
        byte[][] salts = [.. passwords.Select((_, i) => Encoding.UTF8.GetBytes($"CONTOSO.COMuser{i}"))];
        foreach (KerberosEncryptionType type in new[] { KerberosEncryptionType.Aes256CtsHmacSha196, KerberosEncryptionType.Aes128CtsHmacSha196 })
        {
            int keySize = type == KerberosEncryptionType.Aes256CtsHmacSha196 ? 32 : 16;
            byte[] expected = Expected(passwords, salts, 4096, type, keySize);
            foreach (SimdPath path in BatchPaths.Supported)
            {
                using (BatchKernelSelector.Force(path))
                {
                    byte[] actual = new byte[expected.Length];
                    KerberosAesKeyBatch.DeriveKeys(type, passwords, salts, actual);
                    Assert.Equal(expected, actual);
                }
            }
        }
    }

    private static byte[] Expected(string[] passwords, byte[][] salts, int iterations, KerberosEncryptionType type, int keySize)
    {
        byte[] expected = new byte[keySize * passwords.Length];
        for (int i = 0; i < passwords.Length; i++)
        {
            byte[] reference = ReferenceKey(passwords[i], salts[i], iterations, keySize);
            byte[] single = new byte[keySize];
            KerberosKeyDerivation.DeriveKey(type, passwords[i], salts[i], single, iterations);
            Assert.Equal(reference, single);
            reference.CopyTo(expected, keySize * i);
        }

        return expected;
    }

    private static byte[] ReferenceKey(string password, byte[] salt, int iterations, int keySize)
    {
        // UTF8Encoding (replacement fallback) turns a lone surrogate into U+FFFD, as Windows does.
        byte[] utf8 = new UTF8Encoding(false, false).GetBytes(password);
        byte[] tkey = Rfc2898DeriveBytes.Pbkdf2(utf8, salt, iterations, HashAlgorithmName.SHA1, keySize);
        using var aes = Aes.Create();
        aes.Key = tkey;
        byte[] k1 = aes.EncryptEcb(KerberosConstant, PaddingMode.None);
        return keySize == 16 ? k1 : [.. k1, .. aes.EncryptEcb(k1, PaddingMode.None)];
    }
}
