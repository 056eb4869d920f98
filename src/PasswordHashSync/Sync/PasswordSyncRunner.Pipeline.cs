using System.Threading.Channels;
using PasswordHashSync.Directory;

namespace PasswordHashSync.Sync;

// The block pipeline both cycles run: read -> plan -> digest (batch engine) -> export and commit, each stage on its own
// task, joined by bounded channels so a slow stage holds the earlier ones back and memory stays bounded.
public sealed partial class PasswordSyncRunner
{
    /// <summary>About how many users' salted digests the batch engine computes in one call (whole segments are grouped).</summary>
    internal const int BlockSize = 256;

    /// <summary>The block size this runner uses (tests make it small, so blocks, flushes and waits happen with few users).</summary>
    internal int BlockUsers { get; init; } = BlockSize;

    // Bounded queues between the stages, in items (pieces of at most BlockSize users, or blocks of about BlockSize).
    private const int PieceQueueLength = 8;
    private const int BlockQueueLength = 2;

    private const int ReadStage = 0, PlanStage = 1, DigestStage = 2, ExportStage = 3;

    /// <summary>Part of a segment, as read: collapsed users in source order.</summary>
    /// <param name="Users">The users.</param>
    /// <param name="Segment">The segment (a unit of commit: planned, exported and committed as a whole, in order).</param>
    /// <param name="EndsSegment">Whether this is the segment's last piece.</param>
    /// <param name="RawCount">On a segment's last piece, how many entries the source gave for it (progress); else 0.</param>
    private sealed record SourcePiece(IReadOnlyList<DirectoryUser> Users, long Segment, bool EndsSegment, int RawCount);

    /// <summary>A piece and its plan (digests pending until the digest stage).</summary>
    private sealed record PlannedPiece(SourcePiece Source, SyncPlan Plan);

    private async Task RunPipelineAsync(Func<ChannelWriter<SourcePiece>, CancellationToken, Task> read, CycleRun run, CancellationToken cancellationToken)
    {
        var pieces = Channel.CreateBounded<SourcePiece>(new BoundedChannelOptions(PieceQueueLength) { SingleReader = true, SingleWriter = true });
        var blocks = Channel.CreateBounded<List<PlannedPiece>>(new BoundedChannelOptions(BlockQueueLength) { SingleReader = true, SingleWriter = true });
        var digested = Channel.CreateBounded<PlannedPiece>(new BoundedChannelOptions(PieceQueueLength) { SingleReader = true, SingleWriter = true });
        using var faults = new SyncPipelineFaults(ExportStage + 1, cancellationToken);
        Task[] stages =
        [
            RunStageAsync(ReadStage, faults, pieces.Writer, token => read(pieces.Writer, token)),
            RunStageAsync(PlanStage, faults, blocks.Writer, token => PlanAsync(pieces.Reader, blocks.Writer, run, token)),
            RunStageAsync(DigestStage, faults, digested.Writer, token => DigestAsync(blocks.Reader, digested.Writer, token)),
        ];
        try
        {
            // The exporter and the commit run here, so the state holds every export made, in order.
            await ExportAndCommitAsync(digested.Reader, run, faults.TokenOf(ExportStage)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            faults.Record(ExportStage, e);
        }

        await Task.WhenAll(stages).ConfigureAwait(false);
        DisposeLeftovers(blocks.Reader, digested.Reader);

        // Every stage has ended: what a failure or cancellation left uncommitted goes back to the source now.
        ReleaseToSource(run.TakeHandedOut(null));
        faults.ThrowIfFaulted();
    }

    private static Task RunStageAsync<T>(int stage, SyncPipelineFaults faults, ChannelWriter<T> output, Func<CancellationToken, Task> body) =>
        Task.Run(async () =>
        {
            try
            {
                await body(faults.TokenOf(stage)).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                faults.Record(stage, e);
            }
            finally
            {
                // Always a normal completion: the next stage drains what it was given; the failure travels in faults.
                output.TryComplete();
            }
        });

    // Plans pieces in order (salts are drawn here, in source order), waiting for the commit of an earlier segment that
    // holds one of the piece's users; releases a segment only once it is wholly planned, and groups released pieces into
    // blocks of about BlockSize users for the batch engine.
    private async Task PlanAsync(ChannelReader<SourcePiece> input, ChannelWriter<List<PlannedPiece>> output, CycleRun run, CancellationToken cancellationToken)
    {
        Func<DirectoryUser, SyncUserContext>? contextOf = _contextProvider is null ? null : _contextProvider.GetContext;
        var segment = new List<PlannedPiece>();
        var block = new List<PlannedPiece>();
        int blockUsers = 0;
        try
        {
            await foreach (SourcePiece piece in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                string[] anchors = new string[piece.Users.Count];
                for (int i = 0; i < anchors.Length; i++)
                {
                    anchors[i] = SyncPlanner.GetSourceAnchor(piece.Users[i]);
                }

                long dependsOn = run.Tracker.LatestUncommittedSegmentOf(anchors);
                if (dependsOn >= 0 && dependsOn != piece.Segment)
                {
                    // The user's remembered state is decided by an export still under way: send what is planned, wait.
                    await FlushAsync().ConfigureAwait(false);
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

                segment.Add(new PlannedPiece(piece, _planner.PlanBlock(piece.Users, _settings, previous, contextOf, run.FullSync)));
                run.Tracker.Register(piece.Segment, anchors);
                if (!piece.EndsSegment)
                {
                    continue;
                }

                foreach (PlannedPiece planned in segment)
                {
                    block.Add(planned);
                    blockUsers += planned.Source.Users.Count;
                    if (blockUsers >= BlockUsers)
                    {
                        await FlushAsync().ConfigureAwait(false);
                    }
                }

                segment.Clear();
            }

            await FlushAsync().ConfigureAwait(false);
        }
        catch
        {
            // A segment not wholly planned is dropped (as if its planning had failed before anything was sent); the
            // segments already planned are still owed to the exporter, unless the pipeline is being cancelled.
            segment.ForEach(p => p.Plan.Dispose());
            try
            {
                await FlushAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                block.ForEach(p => p.Plan.Dispose());
            }

            throw;
        }

        async Task FlushAsync()
        {
            if (block.Count == 0)
            {
                return;
            }

            List<PlannedPiece> full = block;
            block = [];
            blockUsers = 0;
            try
            {
                await output.WriteAsync(full, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                full.ForEach(p => p.Plan.Dispose());
                throw;
            }
        }
    }

    // The batch engine: one call per block computes every digest the block's plans owe, on SIMD lanes and all cores.
    private static async Task DigestAsync(ChannelReader<List<PlannedPiece>> input, ChannelWriter<PlannedPiece> output, CancellationToken cancellationToken)
    {
        await foreach (List<PlannedPiece> block in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            SyncPlan.ComputeDigestsTogether(block.ConvertAll(p => p.Plan), maxDegreeOfParallelism: null, cancellationToken);
            for (int i = 0; i < block.Count; i++)
            {
                try
                {
                    await output.WriteAsync(block[i], cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    block.GetRange(i, block.Count - i).ForEach(p => p.Plan.Dispose());
                    throw;
                }
            }
        }
    }

    private static void DisposeLeftovers(ChannelReader<List<PlannedPiece>> blocks, ChannelReader<PlannedPiece> digested)
    {
        while (blocks.TryRead(out List<PlannedPiece>? block))
        {
            block.ForEach(p => p.Plan.Dispose());
        }

        while (digested.TryRead(out PlannedPiece? piece))
        {
            piece.Plan.Dispose();
        }
    }
}
