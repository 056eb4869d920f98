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

    /// <summary>One outcome per user processed.</summary>
    public IReadOnlyList<SyncUserOutcome> Outcomes => _outcomes;

    internal List<SyncUserOutcome> OutcomeList => _outcomes;

    private readonly List<SyncUserOutcome> _outcomes = [];

    /// <inheritdoc />
    public override string ToString() =>
        $"SyncCycleReport {{ {Kind}, exported {Exported}, failed {Failed}, skipped {Skipped}, unchanged {Unchanged}, retry queue {RetryQueueLength}, heartbeat {HeartbeatSent} }}";
}
