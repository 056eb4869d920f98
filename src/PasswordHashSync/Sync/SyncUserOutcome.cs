namespace PasswordHashSync.Sync;

/// <summary>What happened to one user in a cycle (the engine's equivalent of a password sync log entry).</summary>
/// <param name="SourceAnchor">The user's source anchor.</param>
/// <param name="DistinguishedName">The on-premises distinguished name.</param>
/// <param name="Action">The decided action.</param>
/// <param name="Status">The log status (<see cref="PasswordSyncStatus.Error"/> when the export failed).</param>
/// <param name="Reasons">Every reason (with <see cref="SyncReason.ExportFailed"/> when the export failed).</param>
/// <param name="ChangeTime">The on-premises change time.</param>
public sealed record SyncUserOutcome(string SourceAnchor, string DistinguishedName, SyncAction Action, PasswordSyncStatus Status, IReadOnlyList<SyncReason> Reasons, DateTimeOffset ChangeTime)
{
    /// <summary>
    /// The user's <c>sAMAccountName</c> when the directory gave one (<see cref="SyncDecision.SamAccountName"/>), so an
    /// <see cref="ISyncOutcomeObserver"/> can name the user without remembering every user it saw; not a secret.
    /// </summary>
    public string? SamAccountName { get; init; }
}
