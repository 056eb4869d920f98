using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using PasswordHashSync.Directory;
using PasswordHashSync.PropertyTests.Reference;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// <c>runner-fullsync USERS [ITERATIONS]</c>: a full sync of USERS generated users through the library's
/// <see cref="PasswordSyncRunner"/> (the block pipeline), through the sequential runner it replaced
/// (<see cref="ReferencePasswordSyncRunner"/>, compiled in from tests/PropertyTests/Reference) and through the engine's
/// own <c>batch-fullsync</c>, each in a child process of this one run (so peak RSS is each mode's own), side by side:
/// wall time, CPU time, users per CPU-second, peak RSS, and the bytes per user the saved state holds.
/// </summary>
/// <remarks>
/// The source streams synthetic users (seeded NT hashes, no file parsing: this measures the runner, not a reader), the
/// exporter folds every digest into a checksum and drops it, the store counts users without copying the state. Both
/// runners must print the same checksum: same salts from the seeded source, same digests, in the same order.
/// </remarks>
internal static class RunnerFullSync
{
    public static void Run(string[] args)
    {
        string users = args.Length > 0 ? args[0] : "100000";
        string iterations = args.Length > 1 ? args[1] : "1000";
        if (args.Length > 2 && args[2] == "batch")
        {
            // The engine's own full sync, with this process's CPU time added (batch-fullsync prints wall time only).
            BatchFullSync.Run([users, iterations]);
            using var self = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    cpu_seconds={self.TotalProcessorTime.TotalSeconds:F1} users_per_cpu_second={int.Parse(users, CultureInfo.InvariantCulture) / self.TotalProcessorTime.TotalSeconds:F0}"));
            return;
        }

        if (args.Length > 2)
        {
            RunOne(int.Parse(users, CultureInfo.InvariantCulture), int.Parse(iterations, CultureInfo.InvariantCulture), pipelined: args[2] == "pipelined");
            return;
        }

        Console.WriteLine($"runner-fullsync users={users} iterations={iterations} cores={Environment.ProcessorCount}");
        RunChild(["runner-fullsync", users, iterations, "pipelined"]);
        RunChild(["runner-fullsync", users, iterations, "reference"]);
        RunChild(["runner-fullsync", users, iterations, "batch"]);
    }

    // A child of this executable: CPU time and peak RSS are the child's own (it prints them).
    private static void RunChild(string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd().Trim();
        child.WaitForExit();
        Console.WriteLine("  " + output);
    }

    private static void RunOne(int users, int iterations, bool pipelined)
    {
        var settings = new PasswordHashSyncSettings { DigestIterationCount = iterations };
        var source = new SyntheticSource(users);
        var exporter = new ChecksumExporter();
        var store = new CountingStore();
        var planner = new SyncPlanner(random: new SeededRandom(20261204));
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        SyncCycleReport report = FullSync(pipelined, source, exporter, store, planner, settings);
        watch.Stop();
        using var process = Process.GetCurrentProcess();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        long heapWithReport = GC.GetTotalMemory(forceFullCollection: true);
        int exported = report.Exported;
        report = null!;

        // What stays once the report is dropped: the saved state (one SyncState.Users entry per user, by design).
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(store.Last);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"mode={(pipelined ? "runner-pipelined" : "runner-reference")} users={users} exported={exported} seconds={watch.Elapsed.TotalSeconds:F1} " +
            $"cpu_seconds={cpu:F1} users_per_cpu_second={users / cpu:F0} peak_working_set_MiB={process.PeakWorkingSet64 / 1048576.0:F1} " +
            $"state_users={store.Last?.Users.Count} state_bytes_per_user={(heapAfter - heapBefore) / (double)users:F0} report_bytes_per_user={(heapWithReport - heapAfter) / (double)users:F0} checksum={exporter.Checksum:x16}"));
    }

    // Its own frame: the finished Task (which holds the report as its result) dies with it. Inline, the JIT keeps that
    // Task in a stack slot of the caller to the end, so dropping the report freed nothing (the "0 B" of the first run).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SyncCycleReport FullSync(bool pipelined, SyntheticSource source, ChecksumExporter exporter, CountingStore store, SyncPlanner planner, PasswordHashSyncSettings settings) => pipelined
        ? new PasswordSyncRunner(source, exporter, store, planner, settings).RunFullSyncAsync(null).GetAwaiter().GetResult()
        : new ReferencePasswordSyncRunner(source, exporter, store, planner, settings).RunFullSyncAsync(null).GetAwaiter().GetResult();

    /// <summary>Synthetic users in the shape the LDIF reader produces (GUID, DN, sAMAccountName, NT hash, times).</summary>
    internal sealed class SyntheticSource(int users) : IDirectoryChangeSource
    {
        public ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new DirectoryChangeSet([], "end"));

        public ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>("end");

        public ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken) => ValueTask.FromResult<DirectoryUser?>(null);

        public async IAsyncEnumerable<DirectoryUser> GetAllUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var random = new Random(7);
            var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            byte[] guid = new byte[16];
            for (int i = 0; i < users; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                random.NextBytes(guid);
                byte[] nt = new byte[16];
                random.NextBytes(nt);
                yield return new DirectoryUser
                {
                    DistinguishedName = string.Create(CultureInfo.InvariantCulture, $"CN=user{i},OU=Bench,DC=contoso,DC=com"),
                    ObjectClasses = ["top", "person", "organizationalPerson", "user"],
                    ObjectGuid = new Guid(guid),
                    SamAccountName = string.Create(CultureInfo.InvariantCulture, $"user{i}"),
                    UserAccountControl = UserAccountControl.NormalAccount,
                    NtHash = nt,
                    PwdLastSet = t0.AddSeconds(i).ToFileTime(),
                    PasswordLastChanged = t0.AddSeconds(i),
                };
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }
    }

    internal sealed class ChecksumExporter : IPasswordHashExporter
    {
        public ulong Checksum { get; private set; }

        public ValueTask<IReadOnlyList<SyncExportResult>> ExportAsync(IReadOnlyList<SyncDecision> batch, CancellationToken cancellationToken)
        {
            var results = new SyncExportResult[batch.Count];
            for (int i = 0; i < batch.Count; i++)
            {
                Checksum = (Checksum * 31) ^ BitConverter.ToUInt64(batch[i].CloudRecord!.Digest.Hash.Span);
                results[i] = SyncExportResult.Success(batch[i].SourceAnchor);
            }

            return ValueTask.FromResult<IReadOnlyList<SyncExportResult>>(results);
        }

        public ValueTask SendHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    // Keeps the last saved state (by reference: no copy, so its bytes per user can be measured) and starts empty.
    internal sealed class CountingStore : ISyncStateStore
    {
        public SyncState? Last { get; private set; }

        public ValueTask<SyncState> LoadAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(new SyncState());

        public ValueTask SaveAsync(SyncState state, CancellationToken cancellationToken = default)
        {
            Last = state;
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class SeededRandom(int seed) : ISyncRandomSource
    {
        private readonly Random _random = new(seed);

        public void Fill(Span<byte> destination) => _random.NextBytes(destination);
    }
}
