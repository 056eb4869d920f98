using System.Runtime.ExceptionServices;

namespace PasswordHashSync.Sync;

/// <summary>
/// The failure bookkeeping of a staged pipeline (stage 0 reads, the last one commits): the first failure is the one the
/// cycle reports, and a failing stage stops only the stages <em>before</em> it. The stages after it drain what they were
/// already given, so everything read before a source failure is still exported and committed, as when the stages ran
/// one after the other.
/// </summary>
internal sealed class SyncPipelineFaults : IDisposable
{
    private readonly CancellationTokenSource[] _stop;
    private readonly Lock _gate = new();
    private ExceptionDispatchInfo? _first;

    /// <summary>Creates the bookkeeping for <paramref name="stages"/> stages, all stopped by <paramref name="cancellationToken"/>.</summary>
    public SyncPipelineFaults(int stages, CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource[stages];
        for (int i = 0; i < stages; i++)
        {
            _stop[i] = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }
    }

    /// <summary>Whether a stage has failed.</summary>
    public bool Faulted => Volatile.Read(ref _first) is not null;

    /// <summary>The token a stage observes: the caller's, or a failure of a later stage.</summary>
    public CancellationToken TokenOf(int stage) => _stop[stage].Token;

    /// <summary>Records a stage's failure (the first one wins) and stops the stages before it.</summary>
    public void Record(int stage, Exception exception)
    {
        lock (_gate)
        {
            _first ??= ExceptionDispatchInfo.Capture(exception);
        }

        for (int i = 0; i < stage; i++)
        {
            _stop[i].Cancel();
        }
    }

    /// <summary>Rethrows the first failure, with its original stack, if there was one.</summary>
    public void ThrowIfFaulted() => Volatile.Read(ref _first)?.Throw();

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (CancellationTokenSource source in _stop)
        {
            source.Dispose();
        }
    }
}
