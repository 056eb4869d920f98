using System.Diagnostics;
using PasswordHashSync.Batch;
using PasswordHashSync.Batch.Kernels;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// Full-sync benchmark (<c>batch-fullsync USERS [ITERATIONS] [THREADS] [single-op]</c>): streams a generated directory
/// of USERS synthetic users through the batch engine — password → NT hash (NtHashBatch) → salted digest
/// (SaltedDigestBatch, all cores) — in fixed-size blocks, and reports users per second and peak memory. With
/// <c>single-op</c> the same stream runs through the single-operation APIs (NtHash.Compute and
/// SaltedDigest.ComputeHash, i.e. Rfc2898DeriveBytes.Pbkdf2) in a Parallel.For over the same cores: the baseline.
/// </summary>
/// <remarks>
/// Deterministic: user <c>i</c>'s password is <c>Pw-{i}-{hex}</c> and its 10-byte salt comes from a seeded PRNG, so
/// runs are comparable. Buffers are reused block to block: memory must stay flat however large the directory.
/// </remarks>
internal static class BatchFullSync
{
    private const int BlockUsers = 16_384;

    public static void Run(string[] args)
    {
        int users = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        int iterations = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        int? threads = args.Length > 2 && args[2] != "all" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : null;
        bool singleOperation = args.Length > 3 && args[3] == "single-op";

        char[] passwordChars = new char[BlockUsers * 32];
        int[] lengths = new int[BlockUsers];
        byte[] ntHashes = new byte[16 * BlockUsers];
        byte[] salts = new byte[10 * BlockUsers];
        byte[] digests = new byte[32 * BlockUsers];
        var random = new Random(20261123);
        ulong checksum = 0;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        for (int first = 0; first < users; first += BlockUsers)
        {
            int count = Math.Min(BlockUsers, users - first);
            int used = 0;
            for (int i = 0; i < count; i++)
            {
                // A synthetic password, written straight into the reusable arena (no string per user).
                int user = first + i;
                Span<char> destination = passwordChars.AsSpan(used);
                bool ok = destination.TryWrite(System.Globalization.CultureInfo.InvariantCulture, $"Pw-{user}-{(uint)(user * 2654435761u):x8}", out int written);
                Debug.Assert(ok);
                lengths[i] = written;
                used += written;
            }

            random.NextBytes(salts.AsSpan(0, 10 * count));
            if (singleOperation)
            {
                RunSingleOperation(passwordChars, lengths, count, ntHashes, salts, iterations, digests, threads);
            }
            else
            {
                NtHashBatch.ComputePacked(passwordChars.AsSpan(0, used), lengths.AsSpan(0, count), ntHashes);
                SaltedDigestBatch.ComputeHashesParallel(
                    ntHashes.AsMemory(0, 16 * count), salts.AsMemory(0, 10 * count), 10, iterations, digests.AsMemory(0, 32 * count), threads);
            }
            checksum ^= BitConverter.ToUInt64(digests, 32 * (count - 1));
        }

        watch.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(
            $"mode={(singleOperation ? "single-op" : "batch")} users={users} iterations={iterations} threads={threads?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture)} path={BatchKernelSelector.BestAvailable} " +
            $"seconds={watch.Elapsed.TotalSeconds:F1} users_per_second={users / watch.Elapsed.TotalSeconds:F0} " +
            $"peak_working_set_MiB={process.PeakWorkingSet64 / 1048576.0:F1} managed_heap_MiB={GC.GetTotalMemory(false) / 1048576.0:F1} " +
            $"allocated_during_run_KiB={allocated / 1024.0:F0} gen0={GC.CollectionCount(0)} gen2={GC.CollectionCount(2)} checksum={checksum:x16}");
    }

    private static void RunSingleOperation(char[] passwordChars, int[] lengths, int count, byte[] ntHashes, byte[] salts, int iterations, byte[] digests, int? threads)
    {
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            NtHash.Compute(passwordChars.AsSpan(offset, lengths[i]), ntHashes.AsSpan(16 * i, 16));
            offset += lengths[i];
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount }, i =>
            Digest.SaltedDigest.ComputeHash(ntHashes.AsSpan(16 * i, 16), salts.AsSpan(10 * i, 10), iterations, digests.AsSpan(32 * i, 32)));
    }
}
