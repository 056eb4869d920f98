namespace PasswordHashSync.Sync;

/// <summary>The result of one cycle (or one full sync).</summary>
public sealed class SyncCycleReport
{
    internal SyncCycleReport(SyncCycleKind kind, DateTimeOffset startedAt)
    {
        Kind = kind;
        StartedAt = startedAt;
    }

    /// <summary>What the cycle did.</summary>
    public SyncCycleKind Kind { get; internal set; }

    /// <summary>When the cycle started (from the runner's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The channel-level reasons that paused the cycle (empty unless <see cref="Kind"/> is <see cref="SyncCycleKind.Paused"/>).</summary>
    public IReadOnlyList<SyncReason> PauseReasons { get; internal set; } = [];

    /// <summary>Users whose records were accepted.</summary>
    public int Exported { get; internal set; }

    /// <summary>Users whose export failed and who are now in the retry queue.</summary>
    public int Failed { get; internal set; }

    /// <summary>Users a rule kept from synchronizing.</summary>
    public int Skipped { get; internal set; }

    /// <summary>Users with nothing to send (already applied, or superseded by a newer applied change).</summary>
    public int Unchanged { get; internal set; }

    /// <summary>Whether an idle heartbeat was sent.</summary>
    public bool HeartbeatSent { get; internal set; }

    /// <summary>The retry queue length at the end of the cycle.</summary>
    public int RetryQueueLength { get; internal set; }

    /// <summary>
    /// For a full sync the directory source asked for (<see cref="DirectoryChangeSet.FullSyncReason"/>), why; otherwise
    /// <see langword="null"/>.
    /// </summary>
    public string? FullSyncReason { get; internal set; }

    /// <summary>What went wrong when <see cref="Kind"/> is <see cref="SyncCycleKind.Failed"/> (type and message, no secret).</summary>
    public string? Error { get; internal set; }

    /// <summary>The most outcomes <see cref="Outcomes"/> keeps, so a report's size does not grow with the directory.</summary>
    public const int MaxOutcomes = 1000;

    /// <summary>
    /// The outcomes kept, in commit order: the first <see cref="MaxOutcomes"/> users processed, except that once the
    /// list is full a failed user (<see cref="PasswordSyncStatus.Error"/>) takes the place of the latest kept user that
    /// did not fail, so up to <see cref="MaxOutcomes"/> failures are always listed (they are what an administrator acts
    /// on). <see cref="OmittedOutcomes"/> counts the rest; <see cref="PasswordSyncRunner.OutcomeObserver"/> sees every one.
    /// </summary>
    /// <remarks>
    /// <see cref="Exported"/>, <see cref="Failed"/>, <see cref="Skipped"/> and <see cref="Unchanged"/> count every user
    /// whatever the list keeps; <c>Outcomes.Count + OmittedOutcomes</c> is the number of users processed.
    /// </remarks>
    public IReadOnlyList<SyncUserOutcome> Outcomes => _outcomes;

    /// <summary>Outcomes not kept in <see cref="Outcomes"/> (beyond <see cref="MaxOutcomes"/>).</summary>
    public int OmittedOutcomes { get; private set; }

    private readonly List<SyncUserOutcome> _outcomes = [];

    // Kept outcomes that are not failures: what a failure may displace once the list is full.
    private int _keptNotFailed;

    /// <summary>Adds one user's outcome, in commit order, keeping at most <see cref="MaxOutcomes"/>.</summary>
    /// <param name="outcome">The outcome.</param>
    internal void AddOutcome(SyncUserOutcome outcome)
    {
        bool failed = outcome.Status == PasswordSyncStatus.Error;
        if (_outcomes.Count < MaxOutcomes)
        {
            _outcomes.Add(outcome);
            _keptNotFailed += failed ? 0 : 1;
            return;
        }

        OmittedOutcomes++;
        if (!failed || _keptNotFailed == 0)
        {
            return;
        }

        // Removing the latest non-failure keeps the list in commit order; the failures displaced so far sit at the end,
        // so the walk back passes over at most the failures already kept.
        int i = _outcomes.Count - 1;
        while (_outcomes[i].Status == PasswordSyncStatus.Error)
        {
            i--;
        }

        _outcomes.RemoveAt(i);
        _keptNotFailed--;
        _outcomes.Add(outcome);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"SyncCycleReport {{ {Kind}, exported {Exported}, failed {Failed}, skipped {Skipped}, unchanged {Unchanged}, outcomes {Outcomes.Count} (+{OmittedOutcomes} omitted), retry queue {RetryQueueLength}, heartbeat {HeartbeatSent} }}";
}
