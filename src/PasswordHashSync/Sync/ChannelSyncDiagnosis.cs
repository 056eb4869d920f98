namespace PasswordHashSync.Sync;

/// <summary>The channel-level check: feature on, not staging, permissions, directory sync, a recent heartbeat.</summary>
public sealed class ChannelSyncDiagnosis
{
    internal ChannelSyncDiagnosis(IReadOnlyList<SyncFinding> findings, DateTimeOffset? lastActivity, bool initialSyncCompleted, int retryQueueLength)
    {
        Findings = findings;
        LastActivity = lastActivity;
        InitialSyncCompleted = initialSyncCompleted;
        RetryQueueLength = retryQueueLength;
    }

    /// <summary>Every problem found (empty when healthy).</summary>
    public IReadOnlyList<SyncFinding> Findings { get; }

    /// <summary>Whether no problem was found.</summary>
    public bool IsHealthy => Findings.Count == 0;

    /// <summary>The later of the last heartbeat and the last successful export, if any.</summary>
    public DateTimeOffset? LastActivity { get; }

    /// <summary>Whether the initial full sync has completed.</summary>
    public bool InitialSyncCompleted { get; }

    /// <summary>How many users wait in the retry queue.</summary>
    public int RetryQueueLength { get; }

    /// <inheritdoc />
    public override string ToString() =>
        (IsHealthy ? "Channel healthy" : "Channel problems") + string.Concat(Findings.Select(f => Environment.NewLine + "  - " + f));
}
