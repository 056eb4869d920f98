namespace PasswordHashSync.Sync;

/// <summary>
/// Which users are in flight in the runner's pipeline (planned, not yet committed), and by which segment, so the planner
/// can wait for the commit a later change of the same user depends on: its remembered state (the change last applied,
/// the scope) is only known once the earlier segment's export results are in.
/// </summary>
/// <remarks>
/// The anchor map is used by the planner only (one piece at a time); commits come from the committer's task. Memory is bounded by the
/// segments in flight (the pipeline's bounded queues), never by the directory: committed segments are pruned.
/// </remarks>
internal sealed class SyncSegmentTracker
{
    private readonly Dictionary<string, long> _lastSegmentOf = new(StringComparer.Ordinal);
    private readonly Queue<(long Segment, string[] Anchors)> _inFlight = new();
    private readonly List<(long Segment, TaskCompletionSource Done)> _waiters = [];
    private readonly Lock _gate = new();
    private long _committed = -1;

    /// <summary>The newest segment holding one of <paramref name="anchors"/> that is not committed yet, or -1.</summary>
    public long LatestUncommittedSegmentOf(string[] anchors)
    {
        Prune();
        long latest = -1;
        foreach (string anchor in anchors)
        {
            if (_lastSegmentOf.TryGetValue(anchor, out long segment) && segment > latest)
            {
                latest = segment;
            }
        }

        return latest;
    }

    /// <summary>Marks <paramref name="anchors"/> as in flight in <paramref name="segment"/> (segments come in order).</summary>
    public void Register(long segment, string[] anchors)
    {
        foreach (string anchor in anchors)
        {
            _lastSegmentOf[anchor] = segment;
        }

        _inFlight.Enqueue((segment, anchors));
    }

    /// <summary>Called by the committer when <paramref name="segment"/> (and every one before it) is committed.</summary>
    public void Committed(long segment)
    {
        List<TaskCompletionSource>? ready = null;
        lock (_gate)
        {
            Volatile.Write(ref _committed, segment);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Segment <= segment)
                {
                    (ready ??= []).Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        ready?.ForEach(t => t.TrySetResult());
    }

    /// <summary>Completes when <paramref name="segment"/> is committed.</summary>
    public Task WaitForCommitAsync(long segment, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (Volatile.Read(ref _committed) >= segment)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((segment, done));
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    private void Prune()
    {
        long committed = Volatile.Read(ref _committed);
        while (_inFlight.TryPeek(out (long Segment, string[] Anchors) oldest) && oldest.Segment <= committed)
        {
            _inFlight.Dequeue();
            foreach (string anchor in oldest.Anchors)
            {
                if (_lastSegmentOf.TryGetValue(anchor, out long segment) && segment == oldest.Segment)
                {
                    _lastSegmentOf.Remove(anchor);
                }
            }
        }
    }
}
