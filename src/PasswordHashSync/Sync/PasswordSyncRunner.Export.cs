using PasswordHashSync.Sync.Pipeline;

namespace PasswordHashSync.Sync;

// The block pipeline's consumer: the exporter (batches of at most BatchSize, calls never overlapping) and the commit.
public sealed partial class PasswordSyncRunner
{
    /// <summary>
    /// The last stage, on the cycle's own task: exports batches of at most BatchSize (calls never overlap) and commits.
    /// A piece's decisions that send nothing are committed when it arrives, its batches when its segment ends, which is
    /// the order of the sequential runner (a whole incremental cycle is one segment). Cancellation is observed before
    /// each piece and each batch: nothing is sent after it, and what was sent before it is committed.
    /// </summary>
    private sealed class ExportStage(PasswordSyncRunner runner, CycleRun run)
    {
        private readonly int _batchSize = runner._settings.BatchSize;
        private readonly List<SyncDecision> _pending = [];
        private readonly List<BatchExported> _exported = [];

        // Plans are disposed (their managed-domain secrets zeroed) once their last export decision has been sent.
        private readonly Queue<(SyncPlan Plan, long LastExport)> _owners = new();
        private DateTimeOffset? _now;
        private long _queued, _sent;

        /// <summary>Exports and commits one planned piece (the pipeline's consumer); owns its plan from here on.</summary>
        public async ValueTask ConsumeAsync(SyncPlannedPiece<SourcePiece, SyncPlan> planned, CancellationToken cancellationToken)
        {
            SourcePiece piece = planned.Piece;
            IReadOnlyList<SyncDecision> decisions = planned.Plan.Decisions;
            _owners.Enqueue((planned.Plan, _queued + decisions.Count(d => d.Action == SyncAction.Export)));
            cancellationToken.ThrowIfCancellationRequested();

            // One time per segment, as one time per batch of users in the sequential runner.
            _now ??= runner._time.GetUtcNow();
            lock (run.StateGate)
            {
                runner.CommitUnsent(decisions, run);
            }

            foreach (SyncDecision decision in decisions)
            {
                if (decision.Action != SyncAction.Export)
                {
                    continue;
                }

                _pending.Add(decision);
                _queued++;
                if (_pending.Count == _batchSize)
                {
                    await SendAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (piece.EndsSegment)
            {
                if (_pending.Count > 0)
                {
                    await SendAsync(cancellationToken).ConfigureAwait(false);
                }

                lock (run.StateGate)
                {
                    _exported.ForEach(b => runner.CommitBatch(b, run, _now.Value));
                }

                _exported.Clear();
                _now = null;
                run.Processed += piece.RawCount;
                run.Tracker.Committed(piece.Segment);
                runner.ReleaseToSource(run.TakeHandedOut(piece.Segment));
                if (run.FullSync)
                {
                    run.Progress?.Report(new FullSyncProgress(run.Processed, run.Report.Exported, run.Report.Skipped, run.Report.Failed));
                }
            }

            DisposeSent();
        }

        /// <summary>Disposes every plan still held (the pipeline has ended, on success or failure).</summary>
        public void DisposePlans()
        {
            while (_owners.TryDequeue(out (SyncPlan Plan, long LastExport) owner))
            {
                owner.Plan.Dispose();
            }
        }

        private async Task SendAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<SyncDecision> batch = [.. _pending];
            _pending.Clear();
            Dictionary<string, SyncExportResult>? results = new(StringComparer.Ordinal);
            Exception? failure = null;
            try
            {
                foreach (SyncExportResult result in await runner._exporter.ExportAsync(batch, cancellationToken).ConfigureAwait(false))
                {
                    results[result.SourceAnchor] = result;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The whole batch failed (the product's "Unknown"); every user in it goes to the retry queue.
                results = null;
                failure = e;
            }

            _sent += batch.Count;
            _exported.Add(new BatchExported(batch, results, failure));
            DisposeSent();
        }

        private void DisposeSent()
        {
            while (_owners.TryPeek(out (SyncPlan Plan, long LastExport) owner) && owner.LastExport <= _sent)
            {
                _owners.Dequeue().Plan.Dispose();
            }
        }
    }
}
