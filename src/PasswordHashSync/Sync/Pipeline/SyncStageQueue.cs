namespace PasswordHashSync.Sync.Pipeline;

/// <summary>
/// A bounded first-in, first-out queue between two pipeline stages that each side may use blocking (a stage on a
/// dedicated thread, which then sleeps in the kernel while it waits) or asynchronously (a stage on the thread pool).
/// </summary>
/// <remarks>
/// Two semaphores count the free slots and the filled ones; <see cref="Complete"/> adds one extra "filled" count that a
/// taker finding the queue empty puts back, so every later take sees the end too. One writer and one reader.
/// </remarks>
internal sealed class SyncStageQueue<T> : IDisposable
{
    private readonly Queue<T> _items;
    private readonly SemaphoreSlim _free;
    private readonly SemaphoreSlim _filled = new(0);
    private readonly Lock _gate = new();
    private bool _completed;

    /// <summary>Creates a queue of at most <paramref name="capacity"/> items.</summary>
    public SyncStageQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _items = new Queue<T>(capacity);
        _free = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>Adds an item, blocking while the queue is full.</summary>
    /// <exception cref="OperationCanceledException">The token was canceled first (the item was not added).</exception>
    public void Add(T item, CancellationToken cancellationToken)
    {
        _free.Wait(cancellationToken);
        Enqueue(item);
    }

    /// <summary>Adds an item, waiting asynchronously while the queue is full.</summary>
    /// <exception cref="OperationCanceledException">The token was canceled first (the item was not added).</exception>
    public async ValueTask AddAsync(T item, CancellationToken cancellationToken)
    {
        await _free.WaitAsync(cancellationToken).ConfigureAwait(false);
        Enqueue(item);
    }

    /// <summary>Takes the oldest item, blocking while the queue is empty; <see langword="false"/> once it is completed and empty.</summary>
    /// <exception cref="OperationCanceledException">The token was canceled first.</exception>
    public bool TryTake(out T item, CancellationToken cancellationToken)
    {
        _filled.Wait(cancellationToken);
        return Dequeue(out item);
    }

    /// <summary>Takes the oldest item, waiting asynchronously while the queue is empty; not found once it is completed and empty.</summary>
    /// <exception cref="OperationCanceledException">The token was canceled first.</exception>
    public async ValueTask<(bool Found, T Item)> TakeAsync(CancellationToken cancellationToken)
    {
        await _filled.WaitAsync(cancellationToken).ConfigureAwait(false);
        bool found = Dequeue(out T item);
        return (found, item);
    }

    /// <summary>Marks the end: no item follows (the writer's last call; idempotent).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
        }

        _filled.Release();
    }

    /// <summary>Takes an item left over without waiting (once both sides have stopped).</summary>
    public bool TryTakeLeftover(out T item)
    {
        lock (_gate)
        {
            return _items.TryDequeue(out item!);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _free.Dispose();
        _filled.Dispose();
    }

    private void Enqueue(T item)
    {
        lock (_gate)
        {
            if (_completed)
            {
                _free.Release();
                throw new InvalidOperationException("The stage queue is completed.");
            }

            _items.Enqueue(item);
        }

        _filled.Release();
    }

    private bool Dequeue(out T item)
    {
        lock (_gate)
        {
            if (_items.TryDequeue(out item!))
            {
                _free.Release();
                return true;
            }
        }

        // Completed and empty: put the end mark back for the next take.
        _filled.Release();
        return false;
    }
}
