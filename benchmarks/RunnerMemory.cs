using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using static PasswordHashSync.Benchmarks.RunnerFullSync;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// <c>runner-memory USERS [ITERATIONS]</c>: what a <see cref="PasswordSyncRunner"/> full sync of USERS synthetic users
/// leaves on the managed heap, part by part, each mode in its own child process (so each peak RSS is its own):
/// <list type="bullet">
/// <item><c>before</c>: what the runner and <c>pwsync sync --dc</c> held until the report was capped: every outcome
/// (an observer keeps them all, as the report's list did) and every user's name by anchor (as the CLI's
/// <c>NameRecordingSource</c> did);</item>
/// <item><c>after</c>: the capped report, and an observer that only counts (the CLI's table streams).</item>
/// </list>
/// The heap is measured (full, compacting collection) before the sync, after it, after dropping what the mode kept
/// beside the report, and after dropping the report: what remains is the saved state.
/// </summary>
internal static class RunnerMemory
{
    public static void Run(string[] args)
    {
        string users = args.Length > 0 ? args[0] : "100000";
        string iterations = args.Length > 1 ? args[1] : "1";
        if (args.Length > 2)
        {
            RunOne(int.Parse(users, CultureInfo.InvariantCulture), int.Parse(iterations, CultureInfo.InvariantCulture), keepAll: args[2] == "before");
            return;
        }

        Console.WriteLine($"runner-memory users={users} iterations={iterations} cores={Environment.ProcessorCount}");
        foreach (string mode in new[] { "before", "after" })
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string arg in new[] { "runner-memory", users, iterations, mode })
            {
                start.ArgumentList.Add(arg);
            }

            using Process child = Process.Start(start)!;
            string output = child.StandardOutput.ReadToEnd().Trim();
            child.WaitForExit();
            Console.WriteLine("  " + output);
        }
    }

    private static void RunOne(int users, int iterations, bool keepAll)
    {
        var settings = new PasswordHashSyncSettings { DigestIterationCount = iterations };
        var source = new SyntheticSource(users);
        var store = new CountingStore();
        var held = new Held();
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        FullSync(held, source, store, settings, keepAll);
        watch.Stop();
        long heapAll = GC.GetTotalMemory(forceFullCollection: true);
        int seen = held.Keeper!.Seen, names = held.Keeper.Names.Count, kept = held.Report!.Outcomes.Count, omitted = held.Report.OmittedOutcomes;
        held.Keeper.Names.Clear();
        held.Keeper.Names.TrimExcess();
        long heapOutcomes = GC.GetTotalMemory(forceFullCollection: true);
        held.Keeper = null;
        long heapReport = GC.GetTotalMemory(forceFullCollection: true);
        held.Report = null;
        long heapState = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(store.Last);
        using var process = Process.GetCurrentProcess();
        double PerUser(long bytes) => bytes / (double)users;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"mode={(keepAll ? "before" : "after")} users={users} seconds={watch.Elapsed.TotalSeconds:F1} peak_working_set_MiB={process.PeakWorkingSet64 / 1048576.0:F1} " +
            $"observed={seen} report_kept={kept} report_omitted={omitted} names_kept={names} | retained bytes per user: total={PerUser(heapAll - heapBefore):F0} " +
            $"state={PerUser(heapState - heapBefore):F0} report={PerUser(heapReport - heapState):F1} all_outcomes={PerUser(heapOutcomes - heapReport):F0} names={PerUser(heapAll - heapOutcomes):F0}"));
    }

    // Its own frame, and the results in fields of a heap object: a finished Task (holding the report), a tuple or a
    // runner in a stack slot of the caller would keep them reachable after they are dropped (tier-0 code reports every
    // slot live to the end of the method; this is why a first attempt measured 0 bytes for the report).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FullSync(Held held, SyntheticSource source, CountingStore store, PasswordHashSyncSettings settings, bool keepAll)
    {
        held.Keeper = new Keeper(keepAll);
        var runner = new PasswordSyncRunner(held.Keeper.Wrap(source), new ChecksumExporter(), store, new SyncPlanner(random: new SeededRandom(20261204)), settings)
        {
            OutcomeObserver = held.Keeper,
        };
        held.Report = runner.RunFullSyncAsync(null).GetAwaiter().GetResult();
    }

    private sealed class Held
    {
        public SyncCycleReport? Report { get; set; }

        public Keeper? Keeper { get; set; }
    }

    /// <summary>The observer: keeps every outcome and every name (before) or only counts (after).</summary>
    private sealed class Keeper(bool keepAll) : ISyncOutcomeObserver
    {
        public List<SyncUserOutcome> Outcomes { get; } = [];

        public Dictionary<string, string?> Names { get; } = new(StringComparer.Ordinal);

        public int Seen { get; private set; }

        public void OnOutcome(SyncUserOutcome outcome)
        {
            Seen++;
            if (keepAll)
            {
                Outcomes.Add(outcome);
            }
        }

        public IDirectoryChangeSource Wrap(IDirectoryChangeSource source) => keepAll ? new NameKeepingSource(source, Names) : source;
    }

    /// <summary>What the CLI's former <c>NameRecordingSource</c> did on a full sync: every user's name by anchor.</summary>
    private sealed class NameKeepingSource(IDirectoryChangeSource inner, Dictionary<string, string?> names) : IDirectoryChangeSource
    {
        public ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken) => inner.GetChangesAsync(watermark, cancellationToken);

        public ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken) => inner.GetCurrentWatermarkAsync(cancellationToken);

        public ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken) => inner.GetUserAsync(sourceAnchor, cancellationToken);

        public async IAsyncEnumerable<DirectoryUser> GetAllUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (DirectoryUser user in inner.GetAllUsersAsync(cancellationToken).ConfigureAwait(false))
            {
                names[SyncPlanner.GetSourceAnchor(user)] = user.SamAccountName ?? user.DistinguishedName;
                yield return user;
            }
        }

        public void ReleaseUsers(IReadOnlyList<DirectoryUser> users) => inner.ReleaseUsers(users);
    }
}
