namespace PasswordHashSync.Sync.Pipeline;

/// <summary>
/// The one block pipeline of every sync (<c>pwsync sync</c>, <see cref="PasswordSyncRunner"/>'s full and incremental
/// cycles over any <see cref="IDirectoryChangeSource"/>): produce pieces of users in source order, plan each piece,
/// group the planned pieces into blocks of about <see cref="BlockUsers"/> users and compute their digests in one call to
/// the batch engine (all cores), hand the pieces to the consumer in source order. The caller supplies what is its own
/// (<see cref="Produce"/>, <see cref="Plan"/>, <see cref="Consume"/>); the engine owns the stages, the bounded queues
/// between them (a slow stage holds the earlier ones back, so a few blocks are in memory whatever the directory size),
/// the order, the failures and the disposal of every plan that does not reach the consumer.
/// </summary>
/// <remarks>
/// <para>
/// Threads: the planner and the digest stage each run on a dedicated thread for the whole run (a thread that waits on a
/// full or empty queue sleeps in the kernel; async stages on the thread pool had idle workers spinning for the next
/// continuation at every handoff, benchmarks/README.md). The producer starts on a dedicated thread too: a synchronous
/// source (a file) stays there, an asynchronous one (a domain controller) moves to the thread pool at its first wait.
/// The consumer runs on the caller's thread (<see cref="Run"/>) or as the caller's task (<see cref="RunAsync"/>).
/// </para>
/// <para>
/// Order: every stage handles its input first in, first out, one item at a time, so the planner sees the pieces (and
/// draws salts) in source order and the consumer gets them in that order. A plan that does not complete at once (it
/// waits, say, for the commit of an earlier piece of the same user) first sends the block gathered so far, so what it
/// waits for can get through.
/// </para>
/// <para>
/// Failures (<see cref="SyncPipelineFaults"/>): a failing stage stops the stages before it; the stages after it finish
/// what they were already given, so everything read before a source failure is still consumed, as when the stages
/// ran one after the other. The exception thrown is the one of the latest failing stage, the failure a sequential run
/// would have met first; the caller's cancellation stops every stage. Plans: the planner disposes a segment it could
/// not finish, a stage disposes what it cannot hand on, the engine disposes what is left in its queues once every stage
/// has ended and the plan of a piece the consumer threw on; a plan the consumer got is the consumer's.
/// </para>
/// </remarks>
internal sealed partial class SyncBlockPipeline<TPiece, TPlan>
    where TPiece : ISyncPipelinePiece
    where TPlan : class, IDisposable
{
    private const int ProduceStage = 0, PlanStage = 1, DigestStage = 2, ConsumeStage = 3;

    /// <summary>Reads the source and writes its pieces in order (on the producer's thread; may be asynchronous).</summary>
    public required Func<SyncPieceWriter<TPiece>, CancellationToken, ValueTask> Produce { get; init; }

    /// <summary>Plans one piece (on the planner's thread, in order); may wait (see the remarks).</summary>
    public required Func<TPiece, CancellationToken, ValueTask<TPlan>> Plan { get; init; }

    /// <summary>Computes the digests of one block of plans together (the batch engine); on failure the block is disposed.</summary>
    public required Action<IReadOnlyList<TPlan>, CancellationToken> ComputeDigests { get; init; }

    /// <summary>Receives each planned piece in order, digests computed; owns its plan from then on.</summary>
    public required Func<SyncPlannedPiece<TPiece, TPlan>, CancellationToken, ValueTask> Consume { get; init; }

    /// <summary>About how many users' digests one call to <see cref="ComputeDigests"/> gets (whole segments are grouped).</summary>
    public int BlockUsers { get; init; } = 256;

    /// <summary>Pieces waiting for the planner.</summary>
    public int PieceQueueLength { get; init; } = 8;

    /// <summary>Blocks waiting for the digest stage, and digested blocks waiting for the consumer (handed over whole: one wake-up per block).</summary>
    public int BlockQueueLength { get; init; } = 2;

    /// <summary>The prefix of the stage threads' names (seen in a debugger or a trace).</summary>
    public string Name { get; init; } = "sync";

    /// <summary>Runs to the end with the consumer on the caller's thread (which is busy for the whole run).</summary>
    /// <param name="cancellationToken">Stops every stage.</param>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    /// <remarks>Any other exception is a stage's: the latest failing stage's, with its original stack.</remarks>
    public void Run(CancellationToken cancellationToken = default)
    {
        using var run = new StageRun(this, cancellationToken);
        run.Start();
        try
        {
            while (run.Digested.TryTake(out List<SyncPlannedPiece<TPiece, TPlan>> block, run.TokenOf(ConsumeStage)))
            {
                for (int i = 0; i < block.Count; i++)
                {
                    Wait(ConsumeOne(block, i, run.TokenOf(ConsumeStage)));
                }
            }
        }
        catch (Exception e)
        {
            run.Faults.Record(ConsumeStage, e);
        }

        Task.WaitAll(run.Stages, CancellationToken.None);
        run.Finish();
    }

    /// <summary>Runs to the end with the consumer awaited on the caller's task (no thread of the caller is held).</summary>
    /// <param name="cancellationToken">Stops every stage.</param>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    /// <remarks>Any other exception is a stage's: the latest failing stage's, with its original stack.</remarks>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var run = new StageRun(this, cancellationToken);
        run.Start();
        try
        {
            while (true)
            {
                (bool found, List<SyncPlannedPiece<TPiece, TPlan>> block) = await run.Digested.TakeAsync(run.TokenOf(ConsumeStage)).ConfigureAwait(false);
                if (!found)
                {
                    break;
                }

                for (int i = 0; i < block.Count; i++)
                {
                    await ConsumeOne(block, i, run.TokenOf(ConsumeStage)).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e)
        {
            run.Faults.Record(ConsumeStage, e);
        }

        await Task.WhenAll(run.Stages).ConfigureAwait(false);
        run.Finish();
    }

    // Hands the block's piece at index on; when the consumer throws, the rest of the block is disposed here, and the
    // failing piece's plan too (the consumer may not have taken it over; disposing twice is harmless).
    private async ValueTask ConsumeOne(List<SyncPlannedPiece<TPiece, TPlan>> block, int index, CancellationToken cancellationToken)
    {
        try
        {
            await Consume(block[index], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            DisposeAll(block, index);
            throw;
        }
    }
}
