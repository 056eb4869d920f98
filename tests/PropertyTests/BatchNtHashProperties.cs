using FsCheck;
using FsCheck.Fluent;
using Org.BouncyCastle.Crypto.Digests;
using PasswordHashSync.Batch;
using PasswordHashSync.Batch.Kernels;

namespace PasswordHashSync.PropertyTests;

/// <summary>The NT hash batch equals BouncyCastle's MD4 and the single-operation NtHash, on every code path.</summary>
public sealed class BatchNtHashProperties
{
    [Fact]
    public void NtHashBatch_on_every_path_equals_BouncyCastle_MD4_and_the_single_operation()
    {
        var ran = new HashSet<SimdPath>();
        Prop.ForAll(
            BatchGenerators.Batch(BatchGenerators.Password(80)).ToArbitrary(),
            passwords =>
            {
                byte[] expected = new byte[16 * passwords.Length];
                for (int i = 0; i < passwords.Length; i++)
                {
                    byte[] single = NtHash.Compute(passwords[i]);
                    byte[] reference = BouncyCastleNtHash(passwords[i]);
                    Assert.Equal(reference, single);
                    single.CopyTo(expected, 16 * i);
                }

                foreach (SimdPath path in BatchPaths.Supported)
                {
                    using (BatchKernelSelector.Force(path))
                    {
                        byte[] listResult = new byte[16 * passwords.Length];
                        NtHashBatch.Compute(passwords, listResult);
                        Assert.Equal(expected, listResult);

                        // A List<string> takes the IReadOnlyList path rather than the array one.
                        byte[] fromList = new byte[16 * passwords.Length];
                        NtHashBatch.Compute(passwords.ToList(), fromList);
                        Assert.Equal(expected, fromList);

                        byte[] packedResult = new byte[16 * passwords.Length];
                        NtHashBatch.ComputePacked(string.Concat(passwords), passwords.Select(p => p.Length).ToArray(), packedResult);
                        Assert.Equal(expected, packedResult);

                        byte[] parallelResult = new byte[16 * passwords.Length];
                        NtHashBatch.ComputeParallel(passwords, parallelResult, maxDegreeOfParallelism: 2);
                        Assert.Equal(expected, parallelResult);
                    }

                    ran.Add(path);
                }
            }).Check(BatchPaths.CheckConfig(150));

        BatchPaths.AssertAllRan(ran);
    }

    [Fact]
    public void NtHashBatch_of_one_block_passwords_on_every_path_equals_BouncyCastle_MD4()
    {
        // Passwords of at most 27 code units fill whole 48-lane chunks, which take the AVX-512 store-back path.
        var ran = new HashSet<SimdPath>();
        Prop.ForAll(
            Gen.Choose(0, 200).SelectMany(n => Gen.ArrayOf(BatchGenerators.OneBlockPassword, n)).ToArbitrary(),
            passwords =>
            {
                byte[] expected = new byte[16 * passwords.Length];
                for (int i = 0; i < passwords.Length; i++)
                {
                    BouncyCastleNtHash(passwords[i]).CopyTo(expected, 16 * i);
                }

                foreach (SimdPath path in BatchPaths.Supported)
                {
                    using (BatchKernelSelector.Force(path))
                    {
                        byte[] actual = new byte[expected.Length];
                        NtHashBatch.Compute(passwords, actual);
                        Assert.Equal(expected, actual);
                    }

                    ran.Add(path);
                }
            }).Check(BatchPaths.CheckConfig(100));

        BatchPaths.AssertAllRan(ran);
    }

    [Theory]
    [InlineData(27)]
    [InlineData(40)]
    public void NtHashBatch_large_batch_on_every_path_equals_BouncyCastle_MD4(int maxLength)
    {
        // Enough passwords to span many chunks and several parallel ranges.
        string[] passwords = BatchGenerators.Password(maxLength).Sample(30_000, 1).ToArray();
        byte[] expected = new byte[16 * passwords.Length];
        for (int i = 0; i < passwords.Length; i++)
        {
            BouncyCastleNtHash(passwords[i]).CopyTo(expected, 16 * i);
        }

        foreach (SimdPath path in BatchPaths.Supported)
        {
            using (BatchKernelSelector.Force(path))
            {
                byte[] actual = new byte[expected.Length];
                NtHashBatch.ComputeParallel(passwords, actual);
                Assert.Equal(expected, actual);
            }
        }
    }

    internal static byte[] BouncyCastleNtHash(string password)
    {
        var md4 = new MD4Digest();
        byte[] utf16 = new byte[2 * password.Length];
        for (int i = 0; i < password.Length; i++)
        {
            utf16[2 * i] = (byte)password[i];
            utf16[(2 * i) + 1] = (byte)(password[i] >> 8);
        }

        md4.BlockUpdate(utf16, 0, utf16.Length);
        byte[] hash = new byte[16];
        md4.DoFinal(hash, 0);
        return hash;
    }
}
