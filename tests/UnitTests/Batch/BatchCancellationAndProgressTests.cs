using System.Collections.Concurrent;
using System.Security.Cryptography;
using PasswordHashSync.Batch;
using PasswordHashSync.Batch.Kernels;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests;

/// <summary>Rule: long batches stop on cancellation and report progress that ends at the total.</summary>
public sealed class BatchCancellationAndProgressTests
{
    [Fact]
    public void Already_canceled_token_throws_before_any_work()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        byte[] destination = new byte[32];
        Assert.Throws<OperationCanceledException>(() => NtHashBatch.Compute(["a", "b"], destination, cancellationToken: cts.Token));
        Assert.Throws<OperationCanceledException>(() => SaltedDigestBatch.ComputeHashes(new byte[16], new byte[10], 10, 1000, destination, cancellationToken: cts.Token));
        Assert.Throws<OperationCanceledException>(() => KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Aes256CtsHmacSha196, ["a"], [[1]], destination, cancellationToken: cts.Token));
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Cancellation_during_a_batch_stops_it_between_chunks()
    {
        // Cancel from the first progress report: the batch must stop long before its 2000 items are done.
        int count = 2000;
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Completed < p.Total)
            {
                cts.Cancel();
            }
        });
        byte[] destination = new byte[32 * count];
        Assert.Throws<OperationCanceledException>(() =>
            SaltedDigestBatch.ComputeHashes(new byte[16 * count], new byte[10 * count], 10, 1000, destination, progress, cts.Token));
        Assert.True(progress.Reports[^1].Completed < count);
    }

    [Fact]
    public void Parallel_cancellation_surfaces_as_OperationCanceledException()
    {
        int count = 4000;
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(_ => cts.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() =>
            SaltedDigestBatch.ComputeHashesParallel(new byte[16 * count], new byte[10 * count], 10, 1000, new byte[32 * count], 2, progress, cts.Token));
    }

    [Fact]
    public void Progress_on_every_path_is_increasing_and_ends_at_the_total()
    {
        foreach (SimdPath path in BatchKernelSelector.SupportedPaths)
        {
            using (BatchKernelSelector.Force(path))
            {
                int count = 37;
                var progress = new SynchronousProgress(_ => { });
                SaltedDigestBatch.ComputeHashes(RandomNumberGenerator.GetBytes(16 * count), RandomNumberGenerator.GetBytes(10 * count), 10, 3, new byte[32 * count], progress);
                AssertMonotoneToTotal(progress.Reports, count);

                var ntProgress = new SynchronousProgress(_ => { });
                string[] passwords = [.. Enumerable.Range(0, 40_000).Select(i => $"pw{i}")];
                NtHashBatch.Compute(passwords, new byte[16 * passwords.Length], ntProgress);
                AssertMonotoneToTotal(ntProgress.Reports, passwords.Length);

                var aesProgress = new SynchronousProgress(_ => { });
                KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Aes256CtsHmacSha196, ["a", "b", "c"], [[1], [2], [3]], new byte[96], 2, aesProgress);
                AssertMonotoneToTotal(aesProgress.Reports, 3);
            }
        }
    }

    [Fact]
    public void Parallel_progress_reaches_the_total()
    {
        int count = 500;
        var progress = new SynchronousProgress(_ => { });
        SaltedDigestBatch.ComputeHashesParallel(new byte[16 * count], new byte[10 * count], 10, 2, new byte[32 * count], 2, progress);
        Assert.Equal(count, progress.Reports.Max(p => p.Completed));
        Assert.All(progress.Reports, p => Assert.Equal(count, p.Total));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NT_progress_is_coalesced_to_one_report_per_interval_and_ends_at_the_total(bool widest)
    {
        SimdPath path = !widest ? SimdPath.Scalar
            : System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? SimdPath.Vector512 : SimdPath.Vector256;

        // 40,000 cheap items cross the 16,384 interval twice, then reach the total: exactly three reports.
        int count = 40_000;
        string[] passwords = Enumerable.Range(0, count).Select(i => "pw" + i).ToArray();
        var progress = new SynchronousProgress(_ => { });
        using (BatchKernelSelector.Force(path))
        {
            NtHashBatch.Compute(passwords, new byte[16 * count], progress);
        }

        Assert.Equal(3, progress.Reports.Count);
        Assert.True(progress.Reports[0].Completed >= NtHashKernel.ProgressInterval);
        AssertMonotoneToTotal(progress.Reports, count);
    }

    private static void AssertMonotoneToTotal(IReadOnlyList<BatchProgress> reports, int total)
    {
        Assert.NotEmpty(reports);
        for (int i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].Completed > reports[i - 1].Completed);
        }

        Assert.Equal(new BatchProgress(total, total), reports[^1]);
        Assert.Equal(1.0, reports[^1].Fraction);
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and race the asserts).</summary>
    private sealed class SynchronousProgress(Action<BatchProgress> onReport) : IProgress<BatchProgress>
    {
        private readonly ConcurrentQueue<BatchProgress> _reports = new();

        public IReadOnlyList<BatchProgress> Reports => [.. _reports];

        public void Report(BatchProgress value)
        {
            _reports.Enqueue(value);
            onReport(value);
        }
    }
}
