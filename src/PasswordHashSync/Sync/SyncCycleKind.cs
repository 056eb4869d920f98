namespace PasswordHashSync.Sync;

/// <summary>What a cycle did.</summary>
public enum SyncCycleKind
{
    /// <summary>Nothing was sent: a channel-level reason (disabled, staging, permissions, directory sync) paused the channel.</summary>
    Paused = 0,

    /// <summary>Changes since the watermark, plus due retries, were processed.</summary>
    Incremental = 1,

    /// <summary>Every user was processed (first enablement, a forced full sync, or a scope-setting change).</summary>
    Full = 2,

    /// <summary>The cycle failed before completing (for example the directory was unreachable); nothing was lost.</summary>
    Failed = 3,
}
