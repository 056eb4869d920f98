using PasswordHashSync.Directory;
using PasswordHashSync.Sync.Pipeline;

namespace PasswordHashSync.Sync;

// What the runner supplies to the block pipeline (SyncBlockPipeline) both cycles run: its pieces, how a piece is planned
// against the state, and the export and commit stage (PasswordSyncRunner.Export.cs).
public sealed partial class PasswordSyncRunner
{
    /// <summary>About how many users' salted digests the batch engine computes in one call (whole segments are grouped).</summary>
    internal const int BlockSize = 256;

    /// <summary>The block size this runner uses (tests make it small, so blocks, flushes and waits happen with few users).</summary>
    internal int BlockUsers { get; init; } = BlockSize;

    // Bounded queues between the stages, in items (pieces of at most BlockSize users, or blocks of about BlockSize).
    private const int PieceQueueLength = 8;
    private const int BlockQueueLength = 2;

    /// <summary>Part of a segment, as read: collapsed users in source order.</summary>
    /// <param name="Users">The users.</param>
    /// <param name="Segment">The segment (a unit of commit: planned, exported and committed as a whole, in order).</param>
    /// <param name="EndsSegment">Whether this is the segment's last piece.</param>
    /// <param name="RawCount">On a segment's last piece, how many entries the source gave for it (progress); else 0.</param>
    internal sealed record SourcePiece(IReadOnlyList<DirectoryUser> Users, long Segment, bool EndsSegment, int RawCount) : ISyncPipelinePiece
    {
        /// <inheritdoc />
        public int UserCount => Users.Count;
    }

    private async Task RunPipelineAsync(Func<SyncPieceWriter<SourcePiece>, CancellationToken, ValueTask> read, CycleRun run, CancellationToken cancellationToken)
    {
        var export = new ExportStage(this, run);
        var pipeline = new SyncBlockPipeline<SourcePiece, SyncPlan>
        {
            Produce = read,
            Plan = (piece, token) => PlanPieceAsync(piece, run, token),
            ComputeDigests = SyncPlanDigests.Compute,

            // The exporter and the commit run on the cycle's task, so the state holds every export made, in order.
            Consume = export.ConsumeAsync,
            BlockUsers = BlockUsers,
            PieceQueueLength = PieceQueueLength,
            BlockQueueLength = BlockQueueLength,
            Name = "sync runner",
        };
        try
        {
            await pipeline.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Every stage has ended: the plans not yet sent are zeroed, and what a failure or cancellation left
            // uncommitted goes back to the source.
            export.DisposePlans();
            ReleaseToSource(run.TakeHandedOut(null));
        }
    }

    // Plans a piece in order (salts are drawn here, in source order), first waiting for the commit of an earlier segment
    // that holds one of the piece's users (the pipeline sends the block planned so far before it waits).
    private async ValueTask<SyncPlan> PlanPieceAsync(SourcePiece piece, CycleRun run, CancellationToken cancellationToken)
    {
        string[] anchors = new string[piece.Users.Count];
        for (int i = 0; i < anchors.Length; i++)
        {
            anchors[i] = SyncPlanner.GetSourceAnchor(piece.Users[i]);
        }

        long dependsOn = run.Tracker.LatestUncommittedSegmentOf(anchors);
        if (dependsOn >= 0 && dependsOn != piece.Segment)
        {
            // The user's remembered state is decided by an export still under way.
            await run.Tracker.WaitForCommitAsync(dependsOn, cancellationToken).ConfigureAwait(false);
        }

        var previous = new Dictionary<string, SyncUserState>(anchors.Length, StringComparer.Ordinal);
        lock (run.StateGate)
        {
            foreach (string anchor in anchors)
            {
                if (run.State.Users.TryGetValue(anchor, out SyncUserState? known))
                {
                    previous[anchor] = known;
                }
            }
        }

        Func<DirectoryUser, SyncUserContext>? contextOf = _contextProvider is null ? null : _contextProvider.GetContext;
        SyncPlan plan = _planner.PlanBlock(piece.Users, _settings, previous, contextOf, run.FullSync);
        run.Tracker.Register(piece.Segment, anchors);
        return plan;
    }
}
