using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PasswordHashSync.Sync;

/// <summary>
/// The thin, stateful shell around <see cref="SyncPlanner"/>: reads changes, plans, exports in batches of at most 50,
/// keeps failed users in a retry queue with backoff, persists the watermark, sends idle heartbeats and runs full syncs.
/// </summary>
/// <remarks>
/// <para>
/// Both kinds of cycle run one block pipeline (docs/sync-engine.md, "The block pipeline"): the source is read in
/// segments (a full sync: <see cref="PasswordHashSyncSettings.BatchSize"/> users, collapsed to the newest change each;
/// an incremental cycle: its collapsed changes and due retries), the planner plans them in order, the batch engine
/// computes the salted digests of about <see cref="BlockSize"/> users at once on all cores, the exporter sends batches
/// of at most <see cref="PasswordHashSyncSettings.BatchSize"/>, and the state is committed in source order. The stages
/// overlap through the bounded queues of the one block pipeline every sync runs (<c>SyncBlockPipeline</c>, also behind
/// <c>pwsync sync --input</c>; a slow exporter holds the reader back), and the results are the ones of planning,
/// exporting and committing one segment after the other: a segment whose user is still in flight in an earlier one
/// waits for that commit, so the newest change wins and an older one never overwrites a newer one.
/// </para>
/// <para>
/// Threads: during a full sync <see cref="IDirectoryChangeSource.GetAllUsersAsync"/> is enumerated, the
/// <see cref="ISyncUserContextProvider"/> is called and <see cref="IPasswordHashExporter.ExportAsync"/> runs, each on
/// its own task, at the same time (each of them is still called by one task at a time, and exporter calls never overlap).
/// </para>
/// Crash safety: the watermark, the retry queue and the per-user state are saved together after the work they
/// describe, so a restart re-reads at most the last cycle's changes (re-applying a change is harmless) and loses none.
/// One runner per state store; cycles must not overlap (<see cref="FileSyncStateStore"/> enforces one process per file).
/// Every failure, skip, retry, heartbeat and full sync is logged with a stable event ID (docs/agent.md) and counted on
/// <see cref="PasswordHashSyncMetrics"/>.
/// </remarks>
public sealed partial class PasswordSyncRunner
{
    private readonly IDirectoryChangeSource _source;
    private readonly IPasswordHashExporter _exporter;
    private readonly ISyncStateStore _store;
    private readonly SyncPlanner _planner;
    private readonly PasswordHashSyncSettings _settings;
    private readonly TimeProvider _time;
    private readonly ISyncUserContextProvider? _contextProvider;
    private readonly ILogger _logger;
    private readonly PasswordHashSyncMetrics? _metrics;

    /// <summary>Creates a runner.</summary>
    /// <param name="source">Where users are read from.</param>
    /// <param name="exporter">Where records are sent.</param>
    /// <param name="store">Where the state is kept.</param>
    /// <param name="planner">The decision core.</param>
    /// <param name="settings">The settings, read (and validated) at the start of every cycle.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="contextProvider">The connector/cloud state of users, or <see langword="null"/> for the default context.</param>
    /// <param name="logger">Where the events go (docs/agent.md lists their IDs), or <see langword="null"/> for none.</param>
    /// <param name="metrics">The instruments to update, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    public PasswordSyncRunner(
        IDirectoryChangeSource source,
        IPasswordHashExporter exporter,
        ISyncStateStore store,
        SyncPlanner planner,
        PasswordHashSyncSettings settings,
        TimeProvider? timeProvider = null,
        ISyncUserContextProvider? contextProvider = null,
        ILogger? logger = null,
        PasswordHashSyncMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(settings);
        _source = source;
        _exporter = exporter;
        _store = store;
        _planner = planner;
        _settings = settings;
        _time = timeProvider ?? TimeProvider.System;
        _contextProvider = contextProvider;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;
    }

    /// <summary>
    /// Runs cycles until cancelled, one every <see cref="PasswordHashSyncSettings.CycleInterval"/>. A cycle that fails
    /// (for example an unreachable directory) is reported and the next one tries again; a corrupted state stops the loop.
    /// </summary>
    /// <param name="reports">Receives every cycle's report, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that completes when cancelled.</returns>
    /// <exception cref="SyncStateCorruptedException">The saved state is unreadable.</exception>
    public async Task RunAsync(IProgress<SyncCycleReport>? reports, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            SyncCycleReport report;
            try
            {
                report = await RunCycleAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not SyncStateCorruptedException and not ArgumentException)
            {
                report = new SyncCycleReport(SyncCycleKind.Failed, _time.GetUtcNow()) { Error = $"{e.GetType().Name}: {e.Message}" };
            }

            reports?.Report(report);
            try
            {
                await Task.Delay(_settings.CycleInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Runs one cycle: paused when a channel-level reason applies; a full sync when none has completed yet, one was
    /// requested, or a scope setting changed; otherwise the changes since the watermark plus the retries that are due.
    /// </summary>
    /// <param name="cancellationToken">Cancels the cycle; the state is left as it was before it.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The settings are invalid.</exception>
    /// <exception cref="SyncStateCorruptedException">The saved state is unreadable.</exception>
    public async Task<SyncCycleReport> RunCycleAsync(CancellationToken cancellationToken = default)
    {
        _settings.Validate();
        long started = _time.GetTimestamp();
        try
        {
            SyncCycleReport report = await RunCycleCoreAsync(cancellationToken).ConfigureAwait(false);
            OnCycleCompleted(report, _time.GetElapsedTime(started));
            return report;
        }
        catch (Exception e) when (e is not OperationCanceledException and not ArgumentException)
        {
            await OnCycleFailedAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<SyncCycleReport> RunCycleCoreAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var pauseReasons = new List<SyncReason>();
        SyncPlanner.AddChannelReasons(_settings, pauseReasons);
        if (pauseReasons.Count > 0)
        {
            // Staging and the other pauses leave the watermark alone, so the channel resumes where it left off.
            return new SyncCycleReport(SyncCycleKind.Paused, now) { PauseReasons = pauseReasons };
        }

        SyncState state = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        string stamp = GetScopeSettingsStamp(_settings);
        if (state.ScopeSettingsStamp is not null && !string.Equals(state.ScopeSettingsStamp, stamp, StringComparison.Ordinal))
        {
            state.FullSyncRequested = true;
        }

        state.ScopeSettingsStamp = stamp;
        if (!state.InitialSyncCompleted || state.FullSyncRequested)
        {
            SyncLog.FullSyncStarted(_logger, !state.InitialSyncCompleted ? "the initial sync" : "requested, or a scope setting changed");
            return await FullSyncCoreAsync(state, null, cancellationToken).ConfigureAwait(false);
        }

        return await IncrementalCoreAsync(state, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a full sync now: every user is read (streamed) and every in-scope user's current password is sent again.
    /// Progress is reported after each batch; cancelling keeps what was done and the next cycle starts the full sync again.
    /// </summary>
    /// <param name="progress">Receives progress after each batch, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the full sync between batches.</param>
    /// <returns>The report.</returns>
    /// <exception cref="InvalidOperationException">A channel-level reason (staging, disabled, ...) pauses the channel.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the progress so far is saved.</exception>
    public async Task<SyncCycleReport> RunFullSyncAsync(IProgress<FullSyncProgress>? progress, CancellationToken cancellationToken = default)
    {
        _settings.Validate();
        var pauseReasons = new List<SyncReason>();
        SyncPlanner.AddChannelReasons(_settings, pauseReasons);
        if (pauseReasons.Count > 0)
        {
            throw new InvalidOperationException($"A full sync cannot run while the channel is paused ({string.Join(", ", pauseReasons)}).");
        }

        long started = _time.GetTimestamp();
        try
        {
            SyncState state = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
            state.ScopeSettingsStamp = GetScopeSettingsStamp(_settings);
            SyncLog.FullSyncStarted(_logger, "run on demand");
            SyncCycleReport report = await FullSyncCoreAsync(state, progress, cancellationToken).ConfigureAwait(false);
            OnCycleCompleted(report, _time.GetElapsedTime(started));
            return report;
        }
        catch (Exception e) when (e is not OperationCanceledException and not ArgumentException)
        {
            await OnCycleFailedAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Asks for a full sync at the next cycle (the product's ForceFullPasswordSync); the request is persisted.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the request is saved.</returns>
    public async Task RequestFullSyncAsync(CancellationToken cancellationToken = default)
    {
        SyncState state = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        state.FullSyncRequested = true;
        await _store.SaveAsync(state, cancellationToken).ConfigureAwait(false);
        SyncLog.FullSyncRequested(_logger);
    }

    internal static TimeSpan GetRetryDelay(PasswordHashSyncSettings settings, int attempts)
    {
        // Doubling from the first delay, capped; the exponent is bounded so the arithmetic cannot overflow.
        double factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        double ticks = Math.Min(settings.RetryInitialDelay.Ticks * factor, settings.RetryMaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private static string GetScopeSettingsStamp(PasswordHashSyncSettings s) => string.Create(
        CultureInfo.InvariantCulture,
        $"selective={s.SelectivePasswordHashSync};disabled={s.SyncDisabledAccounts};managed={s.ManagedDomainEnabled};ntlm={s.SyncNtlmPasswords};force={s.ForcePasswordChangeOnLogOn}");
}
