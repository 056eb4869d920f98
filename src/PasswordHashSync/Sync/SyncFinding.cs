namespace PasswordHashSync.Sync;

/// <summary>One diagnostic finding: a reason with its log status, description and remedy.</summary>
public sealed class SyncFinding
{
    /// <summary>Creates the finding for a reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is not a defined value.</exception>
    public SyncFinding(SyncReason reason)
    {
        Reason = reason;
        Status = SyncReasons.GetStatus(reason);
        Description = SyncReasons.GetDescription(reason);
        Remedy = SyncReasons.GetRemedy(reason);
        PreventsSync = SyncReasons.PreventsSync(reason);
    }

    /// <summary>The reason.</summary>
    public SyncReason Reason { get; }

    /// <summary>The log status for the reason.</summary>
    public PasswordSyncStatus Status { get; }

    /// <summary>What the reason means.</summary>
    public string Description { get; }

    /// <summary>What an administrator should do.</summary>
    public string Remedy { get; }

    /// <summary>Whether the reason keeps the password from being sent.</summary>
    public bool PreventsSync { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Reason} ({Status}): {Description} Remedy: {Remedy}";
}
