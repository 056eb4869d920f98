using PasswordHashSync.Directory;

namespace PasswordHashSync.Sync;

// The commit: the only writer of the cycle's state and report, which applies everything in the order of the sequential
// runner (called by the export stage, PasswordSyncRunner.Export.cs).
public sealed partial class PasswordSyncRunner
{
    /// <summary>One exported batch and its results (<see langword="null"/> when the whole batch failed).</summary>
    private sealed record BatchExported(List<SyncDecision> Batch, Dictionary<string, SyncExportResult>? Results, Exception? Failure);

    /// <summary>One cycle's run of the pipeline: the state it commits to and what the stages share.</summary>
    private sealed class CycleRun(SyncState state, SyncCycleReport report, bool fullSync, IProgress<FullSyncProgress>? progress)
    {
        public SyncState State { get; } = state;

        public SyncCycleReport Report { get; } = report;

        public bool FullSync { get; } = fullSync;

        public IProgress<FullSyncProgress>? Progress { get; } = progress;

        /// <summary>Guards <see cref="SyncState.Users"/>: the planner reads it while the committer writes other users.</summary>
        public Lock StateGate { get; } = new();

        public SyncSegmentTracker Tracker { get; } = new();

        /// <summary>Source entries of the committed segments.</summary>
        public int Processed { get; set; }

        // The users the source handed out for each full-sync segment, as read (collapsed-away entries included), until
        // they go back through IDirectoryChangeSource.ReleaseUsers: at the segment's commit, or when the pipeline ends.
        private readonly Queue<(long Segment, List<DirectoryUser> Users)> _handedOut = new();
        private readonly Lock _handedOutGate = new();

        /// <summary>Records a segment's users (the list may still be growing; it is released only after its commit or at the end).</summary>
        public void HandOut(long segment, List<DirectoryUser> users)
        {
            lock (_handedOutGate)
            {
                _handedOut.Enqueue((segment, users));
            }
        }

        /// <summary>Takes the users of every segment up to <paramref name="segment"/> (segments commit in order); all with <see langword="null"/>.</summary>
        public List<List<DirectoryUser>> TakeHandedOut(long? segment)
        {
            var taken = new List<List<DirectoryUser>>();
            lock (_handedOutGate)
            {
                while (_handedOut.TryPeek(out var next) && (segment is null || next.Segment <= segment))
                {
                    taken.Add(_handedOut.Dequeue().Users);
                }
            }

            return taken;
        }
    }

    // Hands users back to the source, which may zero their secrets (the DRS source's decrypted hashes and blobs).
    private void ReleaseToSource(List<List<DirectoryUser>> batches)
    {
        foreach (List<DirectoryUser> users in batches)
        {
            if (users.Count > 0)
            {
                _source.ReleaseUsers(users);
            }
        }
    }

    // Skipped (out of scope), already applied or superseded: nothing is owed any more.
    private void CommitUnsent(IReadOnlyList<SyncDecision> decisions, CycleRun run)
    {
        SyncState state = run.State;
        SyncCycleReport report = run.Report;
        foreach (SyncDecision decision in decisions)
        {
            if (decision.Action == SyncAction.Export)
            {
                continue;
            }

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

            AddOutcome(report, Outcome(decision, decision.Status, decision.Reasons));
        }
    }

    private void CommitBatch(BatchExported exported, CycleRun run, DateTimeOffset now)
    {
        SyncState state = run.State;
        SyncCycleReport report = run.Report;
        if (exported.Failure is Exception e)
        {
            SyncLog.ExportFailed(_logger, exported.Batch.Count, e.GetType().Name, e.Message);
            state.RecordError(now, $"Export of a batch of {exported.Batch.Count} users failed: {e.GetType().Name}: {e.Message}");
        }

        int synced = 0, retried = 0;
        foreach (SyncDecision decision in exported.Batch)
        {
            SyncExportResult? result = null;
            if (exported.Results?.TryGetValue(decision.SourceAnchor, out result) == true && result.Succeeded)
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

                AddOutcome(report, Outcome(decision, decision.Status, decision.Reasons));
                continue;
            }

            if (result is not null)
            {
                string error = result.Error ?? "no reason given";
                SyncLog.UserExportRejected(_logger, decision.DistinguishedName, decision.SourceAnchor, error);
                state.RecordError(now, $"Export of {decision.DistinguishedName} rejected: {error}");
            }

            Enqueue(state, decision, now);
            retried++;
            report.Failed++;
            AddOutcome(report, Outcome(decision, PasswordSyncStatus.Error, [.. decision.Reasons, SyncReason.ExportFailed]));
        }

        _metrics?.UsersSynced(synced, run.FullSync);
        _metrics?.UsersRetried(retried, run.FullSync);
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
