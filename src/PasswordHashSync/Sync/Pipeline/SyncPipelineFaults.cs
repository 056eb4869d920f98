using System.Runtime.ExceptionServices;

namespace PasswordHashSync.Sync.Pipeline;

/// <summary>
/// The failure bookkeeping of a staged pipeline (stage 0 reads, the last one commits): a failing stage stops only the
/// stages <em>before</em> it. The stages after it drain what they were already given, so everything read before a
/// source failure is still exported and committed, as when the stages ran one after the other. The failure reported is
/// the one of the latest stage: a later stage always works on earlier data, so its failure is the one a sequential run
/// would have met first (an export cancelled at the first batch, not the directory failing ten users further on).
/// </summary>
internal sealed class SyncPipelineFaults : IDisposable
{
    private readonly CancellationTokenSource[] _stop;
    private readonly ExceptionDispatchInfo?[] _failures;

    /// <summary>Creates the bookkeeping for <paramref name="stages"/> stages, all stopped by <paramref name="cancellationToken"/>.</summary>
    public SyncPipelineFaults(int stages, CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource[stages];
        _failures = new ExceptionDispatchInfo?[stages];
        for (int i = 0; i < stages; i++)
        {
            _stop[i] = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }
    }

    /// <summary>The token a stage observes: the caller's, or a failure of a later stage.</summary>
    public CancellationToken TokenOf(int stage) => _stop[stage].Token;

    /// <summary>Records a stage's failure (its first) and stops the stages before it.</summary>
    public void Record(int stage, Exception exception)
    {
        Interlocked.CompareExchange(ref _failures[stage], ExceptionDispatchInfo.Capture(exception), null);
        for (int i = 0; i < stage; i++)
        {
            _stop[i].Cancel();
        }
    }

    /// <summary>Rethrows the latest stage's failure, with its original stack, if a stage failed (call after all stopped).</summary>
    public void ThrowIfFaulted()
    {
        for (int stage = _failures.Length - 1; stage >= 0; stage--)
        {
            Volatile.Read(ref _failures[stage])?.Throw();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (CancellationTokenSource source in _stop)
        {
            source.Dispose();
        }
    }
}
