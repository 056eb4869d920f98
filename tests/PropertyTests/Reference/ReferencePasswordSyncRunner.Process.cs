// REFERENCE COPY, do not change: PasswordSyncRunner as it was before the block pipeline (main at 3de9e3a), the
// sequential one-batch-after-the-other runner. SyncRunnerEquivalenceProperties compares the pipelined runner with it.
// Only the names (class, namespace) and the usings changed; the logic is the original's line for line.
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.PropertyTests.Reference;

internal sealed partial class ReferencePasswordSyncRunner
{
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
            await foreach (DirectoryUser user in _source.GetAllUsersAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                buffer.Add(user);
                if (buffer.Count == _settings.BatchSize)
                {
                    processed += buffer.Count;
                    await ProcessAsync(buffer, state, fullSync: true, report, cancellationToken).ConfigureAwait(false);
                    buffer.Clear();
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

            report.AddOutcome(Outcome(decision, decision.Status, decision.Reasons));
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

                    report.AddOutcome(Outcome(decision, decision.Status, decision.Reasons));
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
                    report.AddOutcome(Outcome(decision, PasswordSyncStatus.Error, [.. decision.Reasons, SyncReason.ExportFailed]));
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
        new(decision.SourceAnchor, decision.DistinguishedName, decision.Action, status, reasons, decision.Version.ChangeTime) { SamAccountName = decision.SamAccountName };
}
