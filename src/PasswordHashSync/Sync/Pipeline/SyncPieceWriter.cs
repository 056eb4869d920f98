namespace PasswordHashSync.Sync.Pipeline;

/// <summary>
/// Where a <see cref="SyncBlockPipeline{TPiece, TPlan}"/> producer writes its pieces, in source order: blocking
/// (<see cref="Write"/>, a synchronous source on the producer's dedicated thread) or asynchronously
/// (<see cref="WriteAsync"/>, an asynchronous source). Both wait while the planner is behind (back-pressure) and
/// throw <see cref="OperationCanceledException"/> once the pipeline stops.
/// </summary>
internal sealed class SyncPieceWriter<TPiece>
{
    private readonly SyncStageQueue<TPiece> _queue;
    private readonly CancellationToken _stop;

    internal SyncPieceWriter(SyncStageQueue<TPiece> queue, CancellationToken stop)
    {
        _queue = queue;
        _stop = stop;
    }

    /// <summary>Hands a piece to the planner, blocking while its queue is full.</summary>
    public void Write(TPiece piece) => _queue.Add(piece, _stop);

    /// <summary>Hands a piece to the planner, waiting asynchronously while its queue is full.</summary>
    public ValueTask WriteAsync(TPiece piece) => _queue.AddAsync(piece, _stop);
}
