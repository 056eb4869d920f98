using PasswordHashSync.Directory;
using PasswordHashSync.Sync.Pipeline;

namespace PasswordHashSync.Sync;

// The two kinds of cycle: what they read, what they hand to the block pipeline, and what they save afterwards.
public sealed partial class PasswordSyncRunner
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
            if (changes.Users.Count > 0)
            {
                _source.ReleaseUsers(changes.Users);
            }

            SyncCycleReport full = await FullSyncCoreAsync(state, null, cancellationToken).ConfigureAwait(false);
            full.FullSyncReason = reason;
            return full;
        }

        var users = new List<DirectoryUser>(changes.Users);
        try
        {
            await ProcessIncrementalAsync(users, state, report, now, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Planned and exported (or failed): the source may zero the users' secrets now.
            if (users.Count > 0)
            {
                _source.ReleaseUsers(users);
            }
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

    // The changes plus the retries that are due (re-read, so they send the newest state), as one segment.
    private async Task ProcessIncrementalAsync(List<DirectoryUser> users, SyncState state, SyncCycleReport report, DateTimeOffset now, CancellationToken cancellationToken)
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

        // The whole cycle is one segment: collapsed once, planned completely before anything is sent (so a planning
        // failure sends nothing), then digested, exported and committed block by block.
        IReadOnlyList<DirectoryUser> collapsed = SyncPlanner.CollapseToLatest(users);
        if (collapsed.Count > 0)
        {
            var run = new CycleRun(state, report, fullSync: false, progress: null);
            await RunPipelineAsync((writer, _) => WriteIncrementalPiecesAsync(collapsed, writer), run, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SyncCycleReport> FullSyncCoreAsync(SyncState state, IProgress<FullSyncProgress>? progress, CancellationToken cancellationToken)
    {
        var report = new SyncCycleReport(SyncCycleKind.Full, _time.GetUtcNow());
        string? startWatermark = await _source.GetCurrentWatermarkAsync(cancellationToken).ConfigureAwait(false);
        state.FullSyncRequested = true;
        var run = new CycleRun(state, report, fullSync: true, progress);
        try
        {
            await RunPipelineAsync((writer, token) => WriteFullSyncPiecesAsync(run, writer, token), run, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Keep what was sent (only committed segments are in the state); the request stays set so the next cycle
            // runs the full sync again.
            report.RetryQueueLength = state.RetryQueue.Count;
            await _store.SaveAsync(state, CancellationToken.None).ConfigureAwait(false);
            SyncLog.FullSyncInterrupted(_logger, run.Processed);
            throw;
        }

        state.Watermark = startWatermark;
        state.InitialSyncCompleted = true;
        state.FullSyncRequested = false;
        report.RetryQueueLength = state.RetryQueue.Count;
        MarkCompleted(state, report);
        await _store.SaveAsync(state, cancellationToken).ConfigureAwait(false);
        SyncLog.FullSyncFinished(_logger, run.Processed, report.Exported, report.Skipped, report.Failed);
        return report;
    }

    // A full sync's segments: BatchSize users as read, collapsed (so a user read twice close together is sent once,
    // with its newest change). The pipeline's producer: runs at the same time as the exporter (documented on the interface).
    // Each segment's list is handed out before it fills, so users read when a failure strikes are released too.
    private async ValueTask WriteFullSyncPiecesAsync(CycleRun run, SyncPieceWriter<SourcePiece> writer, CancellationToken cancellationToken)
    {
        int batchSize = _settings.BatchSize;
        var buffer = new List<DirectoryUser>(batchSize);
        long segment = 0;
        run.HandOut(segment, buffer);
        await foreach (DirectoryUser user in _source.GetAllUsersAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            buffer.Add(user);
            if (buffer.Count == batchSize)
            {
                await writer.WriteAsync(new SourcePiece(SyncPlanner.CollapseToLatest(buffer), segment++, EndsSegment: true, buffer.Count)).ConfigureAwait(false);
                buffer = new List<DirectoryUser>(batchSize);
                run.HandOut(segment, buffer);
            }
        }

        if (buffer.Count > 0)
        {
            await writer.WriteAsync(new SourcePiece(SyncPlanner.CollapseToLatest(buffer), segment, EndsSegment: true, buffer.Count)).ConfigureAwait(false);
        }
    }

    // An incremental cycle's one segment, cut into blocks for the planner and the batch engine.
    private async ValueTask WriteIncrementalPiecesAsync(IReadOnlyList<DirectoryUser> collapsed, SyncPieceWriter<SourcePiece> writer)
    {
        for (int start = 0; start < collapsed.Count; start += BlockUsers)
        {
            int count = Math.Min(BlockUsers, collapsed.Count - start);
            var users = new DirectoryUser[count];
            for (int i = 0; i < count; i++)
            {
                users[i] = collapsed[start + i];
            }

            bool last = start + count == collapsed.Count;
            await writer.WriteAsync(new SourcePiece(users, 0, last, last ? collapsed.Count : 0)).ConfigureAwait(false);
        }
    }
}
