using Microsoft.Extensions.DependencyInjection;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>
/// The bounded report (<see cref="SyncCycleReport.MaxOutcomes"/>, failures preferred, <see cref="SyncCycleReport.OmittedOutcomes"/>)
/// and <see cref="ISyncOutcomeObserver"/>: every outcome once, in commit order, across failing exports and retries.
/// </summary>
public class SyncOutcomeObserverTests
{
    private readonly SyncMemoryDirectory _directory = new();
    private readonly OrderRecordingExporter _exporter = new();
    private readonly InMemorySyncStateStore _store = new();
    private readonly SyncManualTimeProvider _time = new(T0.AddDays(30));
    private readonly PasswordHashSyncSettings _settings = new() { DigestIterationCount = 1 };
    private readonly ListObserver _observer = new();

    private PasswordSyncRunner Runner() =>
        new(_directory, _exporter, _store, new SyncPlanner(new SyncFakeKerberosKeyExtractor(), new SyncCountingRandomSource()), _settings, _time)
        {
            OutcomeObserver = _observer,
        };

    [Fact]
    public void Report_keeps_the_first_outcomes_in_order_and_counts_the_rest()
    {
        var report = new SyncCycleReport(SyncCycleKind.Full, T0);
        for (int i = 0; i < SyncCycleReport.MaxOutcomes + 500; i++)
        {
            report.AddOutcome(Outcome(i, PasswordSyncStatus.Success));
        }

        Assert.Equal(SyncCycleReport.MaxOutcomes, report.Outcomes.Count);
        Assert.Equal(500, report.OmittedOutcomes);
        Assert.Equal(Enumerable.Range(0, SyncCycleReport.MaxOutcomes).Select(Anchor), report.Outcomes.Select(o => o.SourceAnchor));
    }

    [Fact]
    public void A_failure_beyond_the_cap_displaces_the_latest_kept_success_and_order_holds()
    {
        var report = new SyncCycleReport(SyncCycleKind.Full, T0);
        int max = SyncCycleReport.MaxOutcomes;
        report.AddOutcome(Outcome(0, PasswordSyncStatus.Error));
        for (int i = 1; i < max + 100; i++)
        {
            report.AddOutcome(Outcome(i, i is 1050 or 1070 ? PasswordSyncStatus.Error : PasswordSyncStatus.OutOfScope));
        }

        Assert.Equal(max, report.Outcomes.Count);
        Assert.Equal(100, report.OmittedOutcomes);
        int[] kept = [.. report.Outcomes.Select(o => int.Parse(o.SourceAnchor[1..], System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal([.. Enumerable.Range(0, max - 2), 1050, 1070], kept);
        Assert.Equal(3, report.Outcomes.Count(o => o.Status == PasswordSyncStatus.Error));
    }

    [Fact]
    public void A_report_full_of_failures_omits_further_failures()
    {
        var report = new SyncCycleReport(SyncCycleKind.Full, T0);
        for (int i = 0; i < SyncCycleReport.MaxOutcomes + 3; i++)
        {
            report.AddOutcome(Outcome(i, PasswordSyncStatus.Error));
        }

        Assert.Equal(SyncCycleReport.MaxOutcomes, report.Outcomes.Count);
        Assert.Equal(3, report.OmittedOutcomes);
        Assert.Equal(Anchor(SyncCycleReport.MaxOutcomes - 1), report.Outcomes[^1].SourceAnchor);
    }

    // More users than the report keeps, some rejected: the observer still sees each one once, in commit order (the
    // exported users in the order they were sent), and the counts stay exact.
    [Fact]
    public async Task Full_sync_beyond_the_cap_observes_every_user_once_in_commit_order()
    {
        int users = SyncCycleReport.MaxOutcomes + 150;
        for (int i = 0; i < users; i++)
        {
            _directory.Put(i % 10 == 3
                ? User("u" + i, uac: UserAccountControl.NormalAccount | UserAccountControl.AccountDisabled)
                : User("u" + i));
        }

        _exporter.RejectWhen = d => d.SamAccountName is "u1101" or "u1120";
        SyncCycleReport report = await Runner().RunCycleAsync();

        Assert.Equal(users, _observer.Outcomes.Count);
        Assert.Equal(users, _observer.Outcomes.Select(o => o.SourceAnchor).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(users, report.Exported + report.Failed + report.Skipped + report.Unchanged);
        Assert.Equal(users, report.Outcomes.Count + report.OmittedOutcomes);
        Assert.Equal(SyncCycleReport.MaxOutcomes, report.Outcomes.Count);
        Assert.Equal(2, report.Failed);
        Assert.Equal(2, report.Outcomes.Count(o => o.Status == PasswordSyncStatus.Error));
        Assert.Equal(_exporter.SentOrder, _observer.Outcomes.Where(o => o.Action == SyncAction.Export).Select(o => o.SourceAnchor));
        Assert.True(IsSubsequence(report.Outcomes, _observer.Outcomes), "the report's outcomes are the observed ones, in the same order");
        Assert.All(_observer.Outcomes, o => Assert.Equal(o.DistinguishedName.Split(',')[0][3..], o.SamAccountName));
    }

    // Under the cap the report and the observer agree outcome for outcome; a whole batch failing is one Error outcome
    // per user, and the retry in a later cycle is that cycle's outcome, once.
    [Fact]
    public async Task A_failing_export_and_its_retry_are_each_observed_once()
    {
        PasswordSyncRunner runner = Runner();
        for (int i = 0; i < 120; i++)
        {
            _directory.Put(User("u" + i));
        }

        _exporter.ThrowOnBatch = 2;
        SyncCycleReport full = await runner.RunCycleAsync();

        Assert.Equal(full.Outcomes, _observer.Outcomes);
        Assert.Equal(120, _observer.Outcomes.Count);
        Assert.Equal(50, full.Failed);
        Assert.Equal(Enumerable.Range(50, 50).Select(i => "u" + i), _observer.Outcomes.Where(o => o.Status == PasswordSyncStatus.Error).Select(o => o.SamAccountName));
        Assert.All(_observer.Outcomes.Where(o => o.Status == PasswordSyncStatus.Error), o => Assert.Contains(SyncReason.ExportFailed, o.Reasons));

        _observer.Outcomes.Clear();
        _exporter.ThrowOnBatch = 0;
        _time.Advance(_settings.RetryInitialDelay + TimeSpan.FromSeconds(1));
        SyncCycleReport retried = await runner.RunCycleAsync();

        Assert.Equal(SyncCycleKind.Incremental, retried.Kind);
        Assert.Equal(retried.Outcomes, _observer.Outcomes);
        Assert.Equal(Enumerable.Range(50, 50).Select(i => "u" + i), _observer.Outcomes.Select(o => o.SamAccountName));
        Assert.All(_observer.Outcomes, o => Assert.Equal(PasswordSyncStatus.Success, o.Status));
        Assert.Equal(0, retried.RetryQueueLength);
    }

    [Fact]
    public async Task An_observer_that_throws_fails_the_cycle_and_nothing_is_saved()
    {
        _directory.Put(User("a"));
        _directory.Put(User("b"));
        _observer.ThrowAt = 2;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Runner().RunCycleAsync());

        SyncState state = await _store.LoadAsync();
        Assert.False(state.InitialSyncCompleted);
        Assert.Empty(state.Users);
    }

    [Fact]
    public void AddPasswordHashSync_hands_the_registered_observer_to_the_runner()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDirectoryChangeSource>(new SyncMemoryDirectory());
        services.AddSingleton<IPasswordHashExporter>(new RecordingPasswordHashExporter());
        services.AddSingleton<ISyncOutcomeObserver>(_observer);
        services.AddPasswordHashSync();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(_observer, provider.GetRequiredService<PasswordSyncRunner>().OutcomeObserver);
    }

    [Fact]
    public void AddPasswordHashSync_without_an_observer_leaves_it_unset()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDirectoryChangeSource>(new SyncMemoryDirectory());
        services.AddSingleton<IPasswordHashExporter>(new RecordingPasswordHashExporter());
        services.AddPasswordHashSync();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Null(provider.GetRequiredService<PasswordSyncRunner>().OutcomeObserver);
    }

    private static string Anchor(int i) => "a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static SyncUserOutcome Outcome(int i, PasswordSyncStatus status) =>
        new(Anchor(i), $"CN=u{i},DC=contoso,DC=com", status == PasswordSyncStatus.Error ? SyncAction.Export : SyncAction.Skip, status, [], T0);

    private static bool IsSubsequence(IReadOnlyList<SyncUserOutcome> part, IReadOnlyList<SyncUserOutcome> whole)
    {
        int j = 0;
        foreach (SyncUserOutcome o in whole)
        {
            if (j < part.Count && ReferenceEquals(part[j], o))
            {
                j++;
            }
        }

        return j == part.Count;
    }

    private sealed class ListObserver : ISyncOutcomeObserver
    {
        public List<SyncUserOutcome> Outcomes { get; } = [];

        public int ThrowAt { get; set; }

        public void OnOutcome(SyncUserOutcome outcome)
        {
            Outcomes.Add(outcome);
            if (Outcomes.Count == ThrowAt)
            {
                throw new InvalidOperationException("the observer failed");
            }
        }
    }

    /// <summary>Records the anchors in the order they were sent; rejects chosen users or throws on a chosen batch.</summary>
    private sealed class OrderRecordingExporter : IPasswordHashExporter
    {
        private int _batches;

        public List<string> SentOrder { get; } = [];

        public Func<SyncDecision, bool>? RejectWhen { get; set; }

        public int ThrowOnBatch { get; set; }

        public ValueTask<IReadOnlyList<SyncExportResult>> ExportAsync(IReadOnlyList<SyncDecision> batch, CancellationToken cancellationToken)
        {
            if (++_batches == ThrowOnBatch)
            {
                throw new InvalidOperationException("the cloud is down for this batch");
            }

            var results = new List<SyncExportResult>(batch.Count);
            foreach (SyncDecision d in batch)
            {
                SentOrder.Add(d.SourceAnchor);
                results.Add(RejectWhen?.Invoke(d) == true ? SyncExportResult.Failure(d.SourceAnchor, "rejected by the test") : SyncExportResult.Success(d.SourceAnchor));
            }

            return ValueTask.FromResult<IReadOnlyList<SyncExportResult>>(results);
        }

        public ValueTask SendHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
