using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PasswordHashSync.Directory;

namespace PasswordHashSync.Sync;

/// <summary>
/// The thin, stateful shell around <see cref="SyncPlanner"/>: reads changes, plans, exports in batches of at most 50,
/// keeps failed users in a retry queue with backoff, persists the watermark, sends idle heartbeats and runs full syncs.
/// </summary>
/// <remarks>
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

    private async Task<SyncCycleReport> IncrementalCoreAsync(SyncState state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var report = new SyncCycleReport(SyncCycleKind.Incremental, now);
        DirectoryChangeSet changes = await _source.GetChangesAsync(state.Watermark, cancellationToken).ConfigureAwait(false);
        if (changes.FullSyncReason is string reason)
        {
            // The source cannot continue from the watermark (a restored DC, a refused watermark): everything is read
            // again, and the watermark is the one taken before that full read.
            state.FullSyncRequested = true;
            SyncCycleReport full = await FullSyncCoreAsync(state, null, cancellationToken).ConfigureAwait(false);
            full.FullSyncReason = reason;
            return full;
        }

        var users = new List<DirectoryUser>(changes.Users);
        try
        {
            var changed = new HashSet<string>(users.Select(SyncPlanner.GetSourceAnchor), StringComparer.Ordinal);
            foreach (SyncRetryEntry retry in state.RetryQueue.Values.Where(r => r.NextAttempt <= now).ToList())
            {
                if (changed.Contains(retry.SourceAnchor))
                {
                    continue;
                }

                // The retry re-reads the user, so it sends the newest state; a user that is gone leaves the queue.
                DirectoryUser? user = await _source.GetUserAsync(retry.SourceAnchor, cancellationToken).ConfigureAwait(false);
                if (user is null)
                {
                    state.RetryQueue.Remove(retry.SourceAnchor);
                    SyncLog.RetryDropped(_logger, retry.SourceAnchor);
                }
                else
                {
                    users.Add(user);
                }
            }

            await ProcessAsync(users, state, fullSync: false, report, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Planned and exported (or failed): the source may zero the users' secrets now.
            _source.ReleaseUsers(users);
        }

        state.Watermark = changes.Watermark;

        if (report.Exported == 0 && report.Failed == 0
            && (state.LastHeartbeat is not DateTimeOffset last || now - last >= _settings.HeartbeatInterval))
        {
            try
            {
                await _exporter.SendHeartbeatAsync(now, cancellationToken).ConfigureAwait(false);
                state.LastHeartbeat = now;
                report.HeartbeatSent = true;
                SyncLog.HeartbeatSent(_logger);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed heartbeat (event 655) is retried at the next idle cycle; the channel check will notice.
                report.Error = $"Heartbeat failed: {e.GetType().Name}";
                SyncLog.HeartbeatFailed(_logger, e.GetType().Name, e.Message);
                state.RecordError(now, $"Heartbeat failed: {e.GetType().Name}: {e.Message}");
            }
        }

        report.RetryQueueLength = state.RetryQueue.Count;
        MarkCompleted(state, report);
        await _store.SaveAsync(state, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private async Task<SyncCycleReport> FullSyncCoreAsync(SyncState state, IProgress<FullSyncProgress>? progress, CancellationToken cancellationToken)
    {
        var report = new SyncCycleReport(SyncCycleKind.Full, _time.GetUtcNow());
        string? startWatermark = await _source.GetCurrentWatermarkAsync(cancellationToken).ConfigureAwait(false);
        state.FullSyncRequested = true;
        var buffer = new List<DirectoryUser>(_settings.BatchSize);
        int processed = 0;
        try
        {
            try
            {
                await foreach (DirectoryUser user in _source.GetAllUsersAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    buffer.Add(user);
                    if (buffer.Count == _settings.BatchSize)
                    {
                        processed += buffer.Count;
                        await ProcessAsync(buffer, state, fullSync: true, report, cancellationToken).ConfigureAwait(false);
                        ReleaseBatch(buffer);
                        progress?.Report(new FullSyncProgress(processed, report.Exported, report.Skipped, report.Failed));
                    }
                }

                if (buffer.Count > 0)
                {
                    processed += buffer.Count;
                    await ProcessAsync(buffer, state, fullSync: true, report, cancellationToken).ConfigureAwait(false);
                    progress?.Report(new FullSyncProgress(processed, report.Exported, report.Skipped, report.Failed));
                }
            }
            finally
            {
                // The last batch, or the users a failure or cancellation left unprocessed.
                ReleaseBatch(buffer);
            }
        }
        catch (OperationCanceledException)
        {
            // Keep what was sent; the request stays set so the next cycle runs the full sync again.
            report.RetryQueueLength = state.RetryQueue.Count;
            await _store.SaveAsync(state, CancellationToken.None).ConfigureAwait(false);
            SyncLog.FullSyncInterrupted(_logger, processed);
            throw;
        }

        state.Watermark = startWatermark;
        state.InitialSyncCompleted = true;
        state.FullSyncRequested = false;
        report.RetryQueueLength = state.RetryQueue.Count;
        MarkCompleted(state, report);
        await _store.SaveAsync(state, cancellationToken).ConfigureAwait(false);
        SyncLog.FullSyncFinished(_logger, processed, report.Exported, report.Skipped, report.Failed);
        return report;
    }

    // Hands a processed batch back to the source (which may zero its secrets) and empties it for the next one.
    private void ReleaseBatch(List<DirectoryUser> batch)
    {
        if (batch.Count > 0)
        {
            _source.ReleaseUsers(batch);
            batch.Clear();
        }
    }

    private async Task ProcessAsync(List<DirectoryUser> users, SyncState state, bool fullSync, SyncCycleReport report, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        Func<DirectoryUser, SyncUserContext>? contextOf = _contextProvider is null ? null : _contextProvider.GetContext;
        // The same decisions as SyncPlanner.Plan (collapse, then decide in order); the block's salted digests are
        // computed together by the batch engine on all cores.
        using SyncPlan plan = _planner.PlanBlock(SyncPlanner.CollapseToLatest(users), _settings, state.Users, contextOf, fullSync);
        plan.ComputeDigests(cancellationToken: cancellationToken);
        var exports = new List<SyncDecision>();
        foreach (SyncDecision decision in plan.Decisions)
        {
            if (decision.Action == SyncAction.Export)
            {
                exports.Add(decision);
                continue;
            }

            // Skipped (out of scope), already applied or superseded: nothing is owed any more.
            state.Users[decision.SourceAnchor] = decision.StateAfterSuccess;
            state.RetryQueue.Remove(decision.SourceAnchor);
            if (decision.Action == SyncAction.Skip)
            {
                report.Skipped++;
                LogSkipped(decision);
            }
            else
            {
                report.Unchanged++;
            }

            report.OutcomeList.Add(Outcome(decision, decision.Status, decision.Reasons));
        }

        for (int start = 0; start < exports.Count; start += _settings.BatchSize)
        {
            List<SyncDecision> batch = exports.GetRange(start, Math.Min(_settings.BatchSize, exports.Count - start));
            Dictionary<string, SyncExportResult> results = await ExportBatchAsync(batch, state, now, cancellationToken).ConfigureAwait(false);
            int synced = 0, retried = 0;
            foreach (SyncDecision decision in batch)
            {
                if (results.TryGetValue(decision.SourceAnchor, out SyncExportResult? result) && result.Succeeded)
                {
                    state.Users[decision.SourceAnchor] = decision.StateAfterSuccess;
                    state.LastSuccessfulExport = now;
                    report.Exported++;
                    synced++;
                    SyncLog.UserSynced(_logger, decision.DistinguishedName, decision.SourceAnchor, decision.Version.ChangeTime, decision.Status);
                    if (decision.StateAfterSuccess.ManagedDomainPending)
                    {
                        // MissingAttribute: the managed domain is owed the Kerberos keys; try again later.
                        Enqueue(state, decision, now);
                        retried++;
                    }
                    else if (state.RetryQueue.Remove(decision.SourceAnchor))
                    {
                        SyncLog.RetryCompleted(_logger, decision.DistinguishedName, decision.SourceAnchor);
                    }

                    report.OutcomeList.Add(Outcome(decision, decision.Status, decision.Reasons));
                }
                else
                {
                    if (result is not null)
                    {
                        string error = result.Error ?? "no reason given";
                        SyncLog.UserExportRejected(_logger, decision.DistinguishedName, decision.SourceAnchor, error);
                        state.RecordError(now, $"Export of {decision.DistinguishedName} rejected: {error}");
                    }

                    Enqueue(state, decision, now);
                    retried++;
                    report.Failed++;
                    report.OutcomeList.Add(Outcome(decision, PasswordSyncStatus.Error, [.. decision.Reasons, SyncReason.ExportFailed]));
                }
            }

            _metrics?.UsersSynced(synced, fullSync);
            _metrics?.UsersRetried(retried, fullSync);
        }
    }

    private async Task<Dictionary<string, SyncExportResult>> ExportBatchAsync(List<SyncDecision> batch, SyncState state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, SyncExportResult>(StringComparer.Ordinal);
        try
        {
            foreach (SyncExportResult result in await _exporter.ExportAsync(batch, cancellationToken).ConfigureAwait(false))
            {
                results[result.SourceAnchor] = result;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The whole batch failed (the product's "Unknown"); every user in it goes to the retry queue.
            results.Clear();
            SyncLog.ExportFailed(_logger, batch.Count, e.GetType().Name, e.Message);
            state.RecordError(now, $"Export of a batch of {batch.Count} users failed: {e.GetType().Name}: {e.Message}");
        }

        return results;
    }

    private void Enqueue(SyncState state, SyncDecision decision, DateTimeOffset now)
    {
        int attempts = state.RetryQueue.TryGetValue(decision.SourceAnchor, out SyncRetryEntry? existing) ? existing.Attempts + 1 : 1;
        var entry = new SyncRetryEntry(decision.SourceAnchor, decision.Version, attempts, now + GetRetryDelay(_settings, attempts));
        state.RetryQueue[decision.SourceAnchor] = entry;
        SyncLog.RetryScheduled(_logger, decision.DistinguishedName, decision.SourceAnchor, attempts, entry.NextAttempt);
    }

    private static SyncUserOutcome Outcome(SyncDecision decision, PasswordSyncStatus status, IReadOnlyList<SyncReason> reasons) =>
        new(decision.SourceAnchor, decision.DistinguishedName, decision.Action, status, reasons, decision.Version.ChangeTime);
}
