namespace PasswordHashSync.Sync.Pipeline;

// The stages before the consumer: where they run, how they hand on, and what they dispose when they cannot.
internal sealed partial class SyncBlockPipeline<TPiece, TPlan>
{
    // Blocks a dedicated stage thread on a wait (a plan waiting for a commit, a consumer awaiting its exporter).
    private static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    private static T Wait<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    // A stage on a thread of its own; the task completes when the body's task does (it never faults: failures are
    // recorded in the faults). A body that goes asynchronous leaves its thread, which then ends.
    private static Task OnThread(string name, Func<Task> body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => body().ContinueWith(_ => done.SetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    private static void DisposeAll(List<SyncPlannedPiece<TPiece, TPlan>> pieces, int start = 0)
    {
        for (int i = start; i < pieces.Count; i++)
        {
            pieces[i].Plan.Dispose();
        }
    }

    /// <summary>One run: the queues, the faults and the stage tasks.</summary>
    private sealed class StageRun(SyncBlockPipeline<TPiece, TPlan> pipeline, CancellationToken cancellationToken) : IDisposable
    {
        public SyncStageQueue<TPiece> Pieces { get; } = new(pipeline.PieceQueueLength);

        public SyncStageQueue<List<SyncPlannedPiece<TPiece, TPlan>>> Blocks { get; } = new(pipeline.BlockQueueLength);

        public SyncStageQueue<List<SyncPlannedPiece<TPiece, TPlan>>> Digested { get; } = new(pipeline.BlockQueueLength);

        public SyncPipelineFaults Faults { get; } = new(ConsumeStage + 1, cancellationToken);

        public Task[] Stages { get; private set; } = [];

        public CancellationToken TokenOf(int stage) => Faults.TokenOf(stage);

        public void Start() => Stages =
        [
            OnThread($"{pipeline.Name} produce", () => Guard(ProduceStage, Pieces, async token =>
                await pipeline.Produce(new SyncPieceWriter<TPiece>(Pieces, token), token).ConfigureAwait(false))),
            OnThread($"{pipeline.Name} plan", () => Guard(PlanStage, Blocks, token =>
            {
                PlanAll(token);
                return Task.CompletedTask;
            })),
            OnThread($"{pipeline.Name} digest", () => Guard(DigestStage, Digested, token =>
            {
                DigestAll(token);
                return Task.CompletedTask;
            })),
        ];

        /// <summary>After every stage has ended: disposes what is left in the queues, then throws the failure, if any.</summary>
        public void Finish()
        {
            while (Blocks.TryTakeLeftover(out List<SyncPlannedPiece<TPiece, TPlan>> block))
            {
                DisposeAll(block);
            }

            while (Digested.TryTakeLeftover(out List<SyncPlannedPiece<TPiece, TPlan>> block))
            {
                DisposeAll(block);
            }

            Faults.ThrowIfFaulted();
        }

        public void Dispose()
        {
            Faults.Dispose();
            Pieces.Dispose();
            Blocks.Dispose();
            Digested.Dispose();
        }

        private async Task Guard<T>(int stage, SyncStageQueue<T> output, Func<CancellationToken, Task> body)
        {
            try
            {
                await body(Faults.TokenOf(stage)).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Faults.Record(stage, e);
            }
            finally
            {
                // Always a normal end: the next stage finishes what it was given; the failure travels in the faults.
                output.Complete();
            }
        }

        // Plans pieces in order; releases a segment only once it is wholly planned, and groups released pieces into
        // blocks of about BlockUsers users for the batch engine.
        private void PlanAll(CancellationToken token)
        {
            var segment = new List<SyncPlannedPiece<TPiece, TPlan>>();
            var block = new List<SyncPlannedPiece<TPiece, TPlan>>();
            int blockUsers = 0;
            try
            {
                while (Pieces.TryTake(out TPiece piece, token))
                {
                    ValueTask<TPlan> planning = pipeline.Plan(piece, token);
                    if (!planning.IsCompleted)
                    {
                        // The plan waits (for the commit of an earlier segment, say): send what is planned first.
                        Flush();
                    }

                    segment.Add(new SyncPlannedPiece<TPiece, TPlan>(piece, Wait(planning)));
                    if (!piece.EndsSegment)
                    {
                        continue;
                    }

                    foreach (SyncPlannedPiece<TPiece, TPlan> planned in segment)
                    {
                        block.Add(planned);
                        blockUsers += planned.Piece.UserCount;
                        if (blockUsers >= pipeline.BlockUsers)
                        {
                            Flush();
                        }
                    }

                    segment.Clear();
                }

                Flush();
            }
            catch
            {
                // A segment not wholly planned is dropped (as if its planning had failed before anything was sent); the
                // segments already planned are still owed to the consumer, unless the pipeline is being stopped.
                DisposeAll(segment);
                try
                {
                    Flush();
                }
                catch (OperationCanceledException)
                {
                    // Flush disposed the block it could not hand on.
                }

                throw;
            }

            void Flush()
            {
                if (block.Count == 0)
                {
                    return;
                }

                List<SyncPlannedPiece<TPiece, TPlan>> full = block;
                block = [];
                blockUsers = 0;
                try
                {
                    Blocks.Add(full, token);
                }
                catch
                {
                    DisposeAll(full);
                    throw;
                }
            }
        }

        // The batch engine: one call per block computes every digest the block's plans owe, on SIMD lanes and all cores.
        private void DigestAll(CancellationToken token)
        {
            while (Blocks.TryTake(out List<SyncPlannedPiece<TPiece, TPlan>> block, token))
            {
                try
                {
                    pipeline.ComputeDigests(block.ConvertAll(p => p.Plan), token);
                }
                catch
                {
                    DisposeAll(block);
                    throw;
                }

                try
                {
                    Digested.Add(block, token);
                }
                catch
                {
                    DisposeAll(block);
                    throw;
                }
            }
        }
    }
}
