namespace PasswordHashSync.Sync;

/// <summary>
/// Everything the engine persists between cycles and across restarts: the directory watermark, the retry queue and the
/// last change applied per user. Holds no secret.
/// </summary>
public sealed class SyncState
{
    /// <summary>The directory source's watermark after the last completed cycle (opaque to the engine), or <see langword="null"/>.</summary>
    public string? Watermark { get; set; }

    /// <summary>Whether the initial full sync has completed since the channel was first enabled.</summary>
    public bool InitialSyncCompleted { get; set; }

    /// <summary>Whether a full sync has been requested and not yet completed.</summary>
    public bool FullSyncRequested { get; set; }

    /// <summary>
    /// A stamp of the settings that change who is in scope or what is sent (selective sync, disabled accounts, managed
    /// domain, NTLM sync); a change triggers a full sync.
    /// </summary>
    public string? ScopeSettingsStamp { get; set; }

    /// <summary>When the last heartbeat was sent, if ever.</summary>
    public DateTimeOffset? LastHeartbeat { get; set; }

    /// <summary>When an export last succeeded, if ever.</summary>
    public DateTimeOffset? LastSuccessfulExport { get; set; }

    /// <summary>When a cycle last completed (incremental or full) and saved its watermark, if ever.</summary>
    public DateTimeOffset? LastCycleCompleted { get; set; }

    /// <summary>What the last completed cycle was (<see cref="SyncCycleKind.Incremental"/> or <see cref="SyncCycleKind.Full"/>).</summary>
    public SyncCycleKind? LastCycleKind { get; set; }

    /// <summary>
    /// The last errors (failed cycles, failed exports, failed heartbeats), oldest first, at most
    /// <see cref="MaxRecentErrors"/>: what <c>pwsync agent status</c> shows.
    /// </summary>
    public List<SyncErrorEntry> RecentErrors { get; } = [];

    /// <summary>How many errors <see cref="RecentErrors"/> keeps.</summary>
    public const int MaxRecentErrors = 20;

    /// <summary>Per-user state by source anchor.</summary>
    public Dictionary<string, SyncUserState> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>The retry queue by source anchor.</summary>
    public Dictionary<string, SyncRetryEntry> RetryQueue { get; } = new(StringComparer.Ordinal);

    /// <summary>A deep copy (the per-user and retry records are immutable, so the dictionaries are copied).</summary>
    /// <returns>The copy.</returns>
    public SyncState Clone()
    {
        var copy = new SyncState
        {
            Watermark = Watermark,
            InitialSyncCompleted = InitialSyncCompleted,
            FullSyncRequested = FullSyncRequested,
            ScopeSettingsStamp = ScopeSettingsStamp,
            LastHeartbeat = LastHeartbeat,
            LastSuccessfulExport = LastSuccessfulExport,
            LastCycleCompleted = LastCycleCompleted,
            LastCycleKind = LastCycleKind,
        };
        copy.RecentErrors.AddRange(RecentErrors);
        foreach (KeyValuePair<string, SyncUserState> pair in Users)
        {
            copy.Users[pair.Key] = pair.Value;
        }

        foreach (KeyValuePair<string, SyncRetryEntry> pair in RetryQueue)
        {
            copy.RetryQueue[pair.Key] = pair.Value;
        }

        return copy;
    }

    /// <summary>Appends an error, dropping the oldest beyond <see cref="MaxRecentErrors"/>.</summary>
    internal void RecordError(DateTimeOffset time, string message)
    {
        RecentErrors.Add(new SyncErrorEntry(time, message));
        if (RecentErrors.Count > MaxRecentErrors)
        {
            RecentErrors.RemoveRange(0, RecentErrors.Count - MaxRecentErrors);
        }
    }
}
