using PasswordHashSync.Directory;

namespace PasswordHashSync.Sync;

/// <summary>The users changed since a watermark, and the watermark to resume from next time.</summary>
/// <param name="Users">The changed users.</param>
/// <param name="Watermark">The new watermark (opaque to the engine).</param>
public sealed record DirectoryChangeSet(IReadOnlyList<DirectoryUser> Users, string? Watermark)
{
    /// <summary>
    /// Why the source cannot continue from the watermark it was given (for example a domain controller restored from
    /// backup, whose invocation ID changed, or a watermark it refuses), or <see langword="null"/> when the change set is
    /// valid. When set, <see cref="Users"/> and <see cref="Watermark"/> are ignored and the runner runs a full sync
    /// instead, reported with this reason in <see cref="SyncCycleReport.FullSyncReason"/>.
    /// </summary>
    public string? FullSyncReason { get; init; }

    /// <summary>A change set that asks the runner for a full sync.</summary>
    /// <param name="reason">Why (no secret: shown in reports and logs).</param>
    /// <returns>The change set.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is null or empty.</exception>
    public static DirectoryChangeSet RequireFullSync(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new DirectoryChangeSet([], null) { FullSyncReason = reason };
    }
}
