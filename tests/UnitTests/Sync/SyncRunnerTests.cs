using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>The runner's documented cycle behaviour (reference-phs-spec.md §2): batches, retry, restart, staging, heartbeat, full sync.</summary>
public class SyncRunnerTests
{
    private readonly SyncMemoryDirectory _directory = new();
    private readonly RecordingPasswordHashExporter _exporter = new();
    private readonly InMemorySyncStateStore _store = new();
    private readonly SyncManualTimeProvider _time = new(T0.AddDays(30));
    private readonly PasswordHashSyncSettings _settings = new();

    private PasswordSyncRunner Runner(ISyncUserContextProvider? contexts = null) =>
        new(_directory, _exporter, _store, new SyncPlanner(new SyncFakeKerberosKeyExtractor(), new SyncCountingRandomSource()), _settings, _time, contexts);

    private async Task<PasswordSyncRunner> InitializedRunner()
    {
        PasswordSyncRunner runner = Runner();
        SyncCycleReport initial = await runner.RunCycleAsync();
        Assert.Equal(SyncCycleKind.Full, initial.Kind);
        return runner;
    }

    // §2 "Initial sync": the first enablement synchronizes the passwords of all in-scope users.
    [Fact]
    public async Task Rule_InitialSync_FirstCycleSendsEveryInScopeUser()
    {
        _directory.Put(User("a"));
        _directory.Put(User("b"));
        _directory.Put(User("off", uac: UserAccountControl.NormalAccount | UserAccountControl.AccountDisabled));
        _directory.Put(User("org", classes: ["top", "person", "organizationalPerson", "user", "inetOrgPerson"]));

        SyncCycleReport report = await Runner().RunCycleAsync();

        Assert.Equal(SyncCycleKind.Full, report.Kind);
        Assert.Equal(2, report.Exported);
        Assert.Equal(2, report.Skipped);
        SyncState state = await _store.LoadAsync();
        Assert.True(state.InitialSyncCompleted);
        Assert.Equal("4", state.Watermark);
    }

    // §2 "Batch size": each batch contains at least one user and at most 50 users.
    [Fact]
    public async Task Rule_Batches_HoldOneToFiftyUsers()
    {
        for (int i = 0; i < 120; i++)
        {
            _directory.Put(User("u" + i));
        }

        SyncCycleReport report = await Runner().RunCycleAsync();

        Assert.Equal(120, report.Exported);
        Assert.Equal(3, _exporter.BatchCount);
        Assert.Equal(50, _exporter.LargestBatch);
    }

    [Fact]
    public async Task Rule_IncrementalCycle_SendsOnlyChangesSinceTheWatermark()
    {
        _directory.Put(User("a"));
        _directory.Put(User("b"));
        PasswordSyncRunner runner = await InitializedRunner();
        _directory.Put(User("a", "new", T0.AddDays(1)));

        SyncCycleReport report = await runner.RunCycleAsync();

        Assert.Equal(SyncCycleKind.Incremental, report.Kind);
        Assert.Equal(1, report.Exported);
        Assert.Equal(3, _exporter.Exported.Count);
    }

    // §2 "Retry": failed attempts are retried automatically; with backoff; never lost.
    [Fact]
    public async Task Rule_Retry_FailedExportIsQueuedAndRetriedAfterBackoff()
    {
        PasswordSyncRunner runner = await InitializedRunner();
        _exporter.FailWhen = _ => true;
        _directory.Put(User("a"));

        SyncCycleReport failed = await runner.RunCycleAsync();
        Assert.Equal(1, failed.Failed);
        Assert.Equal(1, failed.RetryQueueLength);
        Assert.Contains(SyncReason.ExportFailed, failed.Outcomes[0].Reasons);
        SyncRetryEntry entry = (await _store.LoadAsync()).RetryQueue.Values.Single();
        Assert.Equal(_time.Now + _settings.RetryInitialDelay, entry.NextAttempt);

        _exporter.FailWhen = null;
        _time.Advance(TimeSpan.FromMinutes(1));
        SyncCycleReport tooEarly = await runner.RunCycleAsync();
        Assert.Equal(0, tooEarly.Exported);

        _time.Advance(TimeSpan.FromMinutes(1));
        SyncCycleReport retried = await runner.RunCycleAsync();
        Assert.Equal(1, retried.Exported);
        Assert.Equal(0, retried.RetryQueueLength);
    }

    [Fact]
    public void Rule_Retry_BackoffDoublesUpToTheMaximum()
    {
        Assert.Equal(TimeSpan.FromMinutes(2), PasswordSyncRunner.GetRetryDelay(_settings, 1));
        Assert.Equal(TimeSpan.FromMinutes(4), PasswordSyncRunner.GetRetryDelay(_settings, 2));
        Assert.Equal(TimeSpan.FromMinutes(32), PasswordSyncRunner.GetRetryDelay(_settings, 5));
        Assert.Equal(TimeSpan.FromHours(1), PasswordSyncRunner.GetRetryDelay(_settings, 7));
        Assert.Equal(TimeSpan.FromHours(1), PasswordSyncRunner.GetRetryDelay(_settings, int.MaxValue));
    }

    [Fact]
    public async Task Rule_Retry_AWholeBatchFailureQueuesEveryUser()
    {
        PasswordSyncRunner runner = await InitializedRunner();
        _exporter.FailAll = true;
        _directory.Put(User("a"));
        _directory.Put(User("b"));

        SyncCycleReport report = await runner.RunCycleAsync();

        Assert.Equal(2, report.Failed);
        Assert.Equal(2, report.RetryQueueLength);
    }

    // A retry re-reads the user, so a newer change made meanwhile is what gets sent (never the stale one).
    [Fact]
    public async Task Rule_Retry_SendsTheNewestStateOfTheUser()
    {
        _directory.Put(User("a", "v1", T0));
        PasswordSyncRunner runner = Runner();
        _exporter.FailWhen = _ => true;
        await runner.RunCycleAsync();
        _exporter.FailWhen = null;
        _directory.Put(User("a", "v2", T0.AddHours(1)));
        _time.Advance(TimeSpan.FromMinutes(5));

        await runner.RunCycleAsync();

        CloudPasswordRecord sent = Assert.Single(_exporter.Exported);
        Assert.Equal(T0.AddHours(1), sent.ChangeTime);
    }

    // Restart: a new runner on the same store resumes from the persisted watermark and retry queue.
    [Fact]
    public async Task Rule_Restart_ResumesFromPersistedWatermarkAndQueue()
    {
        _directory.Put(User("a"));
        await Runner().RunCycleAsync();
        _exporter.FailWhen = d => d.DistinguishedName.StartsWith("CN=b,", StringComparison.Ordinal);
        _directory.Put(User("b"));
        await Runner().RunCycleAsync();
        _exporter.FailWhen = null;
        _time.Advance(TimeSpan.FromMinutes(3));

        SyncCycleReport afterRestart = await Runner().RunCycleAsync();

        Assert.Equal(SyncCycleKind.Incremental, afterRestart.Kind);
        Assert.Equal(1, afterRestart.Exported);
        Assert.Equal(["CN=a,CN=Users,DC=contoso,DC=com", "CN=b,CN=Users,DC=contoso,DC=com"], _exporter.Exported.Select(r => r.DistinguishedName));
    }

    // §2 Staging: stops synchronizing; when disabled it resumes from where it last left off.
    [Fact]
    public async Task Rule_StagingMode_PausesAndResumesFromWhereItLeftOff()
    {
        PasswordSyncRunner runner = await InitializedRunner();
        _settings.StagingMode = true;
        _directory.Put(User("a"));
        _directory.Put(User("b"));

        SyncCycleReport paused = await runner.RunCycleAsync();
        Assert.Equal(SyncCycleKind.Paused, paused.Kind);
        Assert.Equal([SyncReason.StagingMode], paused.PauseReasons);
        Assert.Empty(_exporter.Exported);

        _settings.StagingMode = false;
        SyncCycleReport resumed = await runner.RunCycleAsync();
        Assert.Equal(2, resumed.Exported);
    }

    // §2 Heartbeat: every 30 minutes when idle.
    [Fact]
    public async Task Rule_Heartbeat_IsSentWhenIdle_EveryThirtyMinutes()
    {
        PasswordSyncRunner runner = await InitializedRunner();
        Assert.True((await runner.RunCycleAsync()).HeartbeatSent);
        for (int i = 0; i < 14; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(2));
            Assert.False((await runner.RunCycleAsync()).HeartbeatSent);
        }

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await runner.RunCycleAsync()).HeartbeatSent);
        Assert.Equal(2, _exporter.HeartbeatCount);
    }

    // §2 Full resync: ForceFullPasswordSync sends every in-scope user again, once.
    [Fact]
    public async Task Rule_ForcedFullSync_ResendsEveryInScopeUserOnce()
    {
        _directory.Put(User("a"));
        _directory.Put(User("b"));
        PasswordSyncRunner runner = await InitializedRunner();
        await runner.RequestFullSyncAsync();

        SyncCycleReport full = await runner.RunCycleAsync();
        SyncCycleReport next = await runner.RunCycleAsync();

        Assert.Equal(SyncCycleKind.Full, full.Kind);
        Assert.Equal(2, full.Exported);
        Assert.Equal(SyncCycleKind.Incremental, next.Kind);
        Assert.Equal(4, _exporter.Exported.Count);
    }

    // §2 triggers 3, 4 and 6: enabling the managed domain or changing selective sync needs a full sync.
    [Fact]
    public async Task Rule_ScopeSettingChange_TriggersAFullSync()
    {
        _directory.Put(User("a"));
        PasswordSyncRunner runner = await InitializedRunner();
        _settings.ManagedDomainEnabled = true;

        SyncCycleReport report = await runner.RunCycleAsync();

        Assert.Equal(SyncCycleKind.Full, report.Kind);
        Assert.Equal(1, _exporter.ManagedDomainRecordCount);
    }

    // Full sync streams users, reports progress per batch and can be cancelled; it restarts at the next cycle.
    [Fact]
    public async Task Rule_FullSync_ReportsProgressAndCanBeCancelled()
    {
        for (int i = 0; i < 130; i++)
        {
            _directory.Put(User("u" + i));
        }

        PasswordSyncRunner runner = Runner();
        using var cts = new CancellationTokenSource();
        var seen = new List<FullSyncProgress>();
        var progress = new SyncInlineProgress<FullSyncProgress>(p =>
        {
            seen.Add(p);
            if (p.Processed == 100)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunFullSyncAsync(progress, cts.Token));
        Assert.Equal([50, 100], seen.Select(p => p.Processed));
        SyncState saved = await _store.LoadAsync();
        Assert.True(saved.FullSyncRequested);
        Assert.False(saved.InitialSyncCompleted);
        Assert.Equal(100, saved.Users.Count);

        SyncCycleReport resumed = await runner.RunCycleAsync();
        Assert.Equal(SyncCycleKind.Full, resumed.Kind);
        Assert.Equal(130, resumed.Exported);
    }

    [Fact]
    public async Task Rule_FullSync_RefusesToRunWhilePaused()
    {
        _settings.StagingMode = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Runner().RunFullSyncAsync(null));
    }

    // §5 / §6.5: a missing Kerberos key is retried (RetryRequestedByTarget) once the keys exist.
    [Fact]
    public async Task Rule_ManagedDomain_MissingKeysAreRetried()
    {
        _settings.ManagedDomainEnabled = true;
        _directory.Put(User("k", withKerberos: false));
        PasswordSyncRunner runner = Runner();
        SyncCycleReport first = await runner.RunCycleAsync();
        Assert.Equal(PasswordSyncStatus.MissingAttribute, first.Outcomes.Single().Status);
        Assert.Equal(1, first.RetryQueueLength);

        _directory.Put(User("k"));
        _time.Advance(TimeSpan.FromMinutes(3));
        SyncCycleReport second = await runner.RunCycleAsync();

        Assert.Equal(PasswordSyncStatus.RetryRequestedByTarget, second.Outcomes.Single().Status);
        Assert.Equal(0, second.RetryQueueLength);
        Assert.Equal(1, _exporter.ManagedDomainRecordCount);
    }

    [Fact]
    public async Task Rule_UnreachableDirectory_FailsTheCycleWithoutLosingAnything()
    {
        _directory.Put(User("a"));
        PasswordSyncRunner runner = await InitializedRunner();
        _directory.Put(User("b"));
        _directory.Unreachable = true;
        await Assert.ThrowsAsync<IOException>(() => runner.RunCycleAsync());

        _directory.Unreachable = false;
        Assert.Equal(1, (await runner.RunCycleAsync()).Exported);
    }

    [Fact]
    public async Task RunAsync_RunsCyclesUntilCancelled_AndReportsFailedCycles()
    {
        _directory.Put(User("a"));
        _directory.Unreachable = true;
        _settings.CycleInterval = TimeSpan.FromMilliseconds(1);
        var runner = new PasswordSyncRunner(_directory, _exporter, _store, new SyncPlanner(), _settings);
        using var cts = new CancellationTokenSource();
        var reports = new List<SyncCycleReport>();
        var progress = new SyncInlineProgress<SyncCycleReport>(r =>
        {
            reports.Add(r);
            if (reports.Count == 2)
            {
                _directory.Unreachable = false;
            }

            if (reports.Count == 4)
            {
                cts.Cancel();
            }
        });

        await runner.RunAsync(progress, cts.Token);

        Assert.Equal(SyncCycleKind.Failed, reports[0].Kind);
        Assert.Contains("unreachable", reports[0].Error, StringComparison.Ordinal);
        Assert.Contains(reports, r => r.Kind == SyncCycleKind.Full && r.Exported == 1);
    }

    [Fact]
    public async Task Runner_InvalidSettings_FailClearly()
    {
        _settings.BatchSize = 51;
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Runner().RunCycleAsync());
        Assert.Equal(nameof(PasswordHashSyncSettings.BatchSize), e.ParamName);
    }
}

internal sealed class SyncInlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
