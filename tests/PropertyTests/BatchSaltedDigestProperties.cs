using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using PasswordHashSync.Batch;
using PasswordHashSync.Batch.Kernels;
using PasswordHashSync.Digest;

namespace PasswordHashSync.PropertyTests;

/// <summary>
/// The salted digest batch equals Rfc2898DeriveBytes.Pbkdf2 over the upper-case hex (an independent reference built
/// here) and the single-operation SaltedDigest.ComputeHash, on every code path.
/// </summary>
public sealed class BatchSaltedDigestProperties
{
    private sealed record Item(byte[] NtHash, byte[] Salt, int Iterations);

    private static readonly Gen<Item> ItemGen =
        from nt in BatchGenerators.Bytes(16, 16)
        from salt in Gen.Frequency((3, BatchGenerators.Bytes(10, 10)), (2, BatchGenerators.Bytes(1, 64)), (1, BatchGenerators.Bytes(50, 64)))
        from iterations in BatchGenerators.SmallIterationCount
        select new Item(nt, salt, iterations);

    [Fact]
    public void Mixed_salts_and_iteration_counts_on_every_path_equal_the_reference_and_the_single_operation()
    {
        var ran = new HashSet<SimdPath>();
        Prop.ForAll(
            BatchGenerators.Batch(ItemGen).ToArbitrary(),
            items =>
            {
                byte[] expected = Expected(items);
                byte[] ntHashes = items.SelectMany(i => i.NtHash).ToArray();
                byte[] salts = items.SelectMany(i => i.Salt).ToArray();
                int[] saltLengths = items.Select(i => i.Salt.Length).ToArray();
                int[] iterations = items.Select(i => i.Iterations).ToArray();
                foreach (SimdPath path in BatchPaths.Supported)
                {
                    using (BatchKernelSelector.Force(path))
                    {
                        byte[] actual = new byte[expected.Length];
                        SaltedDigestBatch.ComputeHashesMixed(ntHashes, salts, saltLengths, iterations, actual);
                        Assert.Equal(expected, actual);
                    }

                    ran.Add(path);
                }

                // Unforced: the best path, with the partial last chunk narrowed to fewer lanes or the scalar code.
                byte[] unforced = new byte[expected.Length];
                SaltedDigestBatch.ComputeHashesMixed(ntHashes, salts, saltLengths, iterations, unforced);
                Assert.Equal(expected, unforced);
            }).Check(BatchPaths.CheckConfig(25));

        BatchPaths.AssertAllRan(ran);
    }

    [Fact]
    public void Fixed_salt_length_and_count_sequential_and_parallel_on_every_path_equal_the_reference()
    {
        var ran = new HashSet<SimdPath>();
        Gen<(Item[] Items, int SaltLength, int Iterations)> batchGen =
            from saltLength in Gen.Elements(10, 1, 51, 52, 64)
            from iterations in BatchGenerators.SmallIterationCount
            from ntHashes in BatchGenerators.Batch(BatchGenerators.Bytes(16, 16))
            from salts in Gen.ArrayOf(BatchGenerators.Bytes(saltLength, saltLength), ntHashes.Length)
            select (ntHashes.Zip(salts, (n, s) => new Item(n, s, iterations)).ToArray(), saltLength, iterations);
        Prop.ForAll(
            batchGen.ToArbitrary(),
            batch =>
            {
                byte[] expected = Expected(batch.Items);
                byte[] ntHashes = batch.Items.SelectMany(i => i.NtHash).ToArray();
                byte[] salts = batch.Items.SelectMany(i => i.Salt).ToArray();
                foreach (SimdPath path in BatchPaths.Supported)
                {
                    using (BatchKernelSelector.Force(path))
                    {
                        byte[] actual = new byte[expected.Length];
                        SaltedDigestBatch.ComputeHashes(ntHashes, salts, batch.SaltLength, batch.Iterations, actual);
                        Assert.Equal(expected, actual);

                        byte[] parallel = new byte[expected.Length];
                        SaltedDigestBatch.ComputeHashesParallel(ntHashes, salts, batch.SaltLength, batch.Iterations, parallel, maxDegreeOfParallelism: 2);
                        Assert.Equal(expected, parallel);
                    }

                    ran.Add(path);
                }
            }).Check(BatchPaths.CheckConfig(15));

        BatchPaths.AssertAllRan(ran);
    }

    [Fact]
    public void Production_count_1000_and_a_lane_at_1001_on_every_path_equal_the_reference()
    {
        // 1000 is what Entra Connect uses; 100 is the older count; one lane at 1001 runs past the others.
        Item[] items = BatchGenerators.Bytes(16, 16).Sample(19, 7).Select((nt, i) =>
            new Item(nt, RandomNumberGenerator.GetBytes(SaltedDigest.SaltSize), i == 5 ? 1001 : i % 3 == 0 ? 100 : 1000)).ToArray();
        byte[] expected = Expected(items);
        foreach (SimdPath path in BatchPaths.Supported)
        {
            using (BatchKernelSelector.Force(path))
            {
                byte[] actual = new byte[expected.Length];
                SaltedDigestBatch.ComputeHashesMixed(
                    items.SelectMany(i => i.NtHash).ToArray(),
                    items.SelectMany(i => i.Salt).ToArray(),
                    items.Select(i => i.Salt.Length).ToArray(),
                    items.Select(i => i.Iterations).ToArray(),
                    actual);
                Assert.Equal(expected, actual);
            }
        }
    }

    private static byte[] Expected(Item[] items)
    {
        byte[] expected = new byte[32 * items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            Item item = items[i];

            // Independent reference: the password is the UTF-16LE text of the upper-case hex NT hash.
            byte[] password = Encoding.Unicode.GetBytes(Convert.ToHexString(item.NtHash));
            byte[] reference = Rfc2898DeriveBytes.Pbkdf2(password, item.Salt, item.Iterations, HashAlgorithmName.SHA256, 32);
            byte[] single = new byte[32];
            SaltedDigest.ComputeHash(item.NtHash, item.Salt, item.Iterations, single);
            Assert.Equal(reference, single);
            reference.CopyTo(expected, 32 * i);
        }

        return expected;
    }
}
