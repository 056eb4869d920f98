namespace PasswordHashSync.Sync;

/// <summary>The engine's decision for one user: the action, the log status, every reason, and what to send.</summary>
public sealed class SyncDecision
{
    internal SyncDecision(
        string sourceAnchor,
        string distinguishedName,
        SyncAction action,
        PasswordSyncStatus status,
        IReadOnlyList<SyncReason> reasons,
        PasswordChangeVersion version,
        CloudPasswordRecord? cloudRecord,
        ManagedDomainRecord? managedDomainRecord,
        SyncUserState stateAfterSuccess)
    {
        SourceAnchor = sourceAnchor;
        DistinguishedName = distinguishedName;
        Action = action;
        Status = status;
        Reasons = reasons;
        Version = version;
        CloudRecord = cloudRecord;
        ManagedDomainRecord = managedDomainRecord;
        StateAfterSuccess = stateAfterSuccess;
    }

    /// <summary>The user's source anchor (base64 of <c>objectGUID</c>, or the distinguished name when the GUID is unknown).</summary>
    public string SourceAnchor { get; }

    /// <summary>The on-premises distinguished name.</summary>
    public string DistinguishedName { get; }

    /// <summary>The user's <c>sAMAccountName</c>, when the directory gave one (for records and logs; not a secret).</summary>
    public string? SamAccountName { get; internal init; }

    /// <summary>What to do.</summary>
    public SyncAction Action { get; }

    /// <summary>
    /// The log status: <see cref="PasswordSyncStatus.Success"/> for an export (or
    /// <see cref="PasswordSyncStatus.MissingAttribute"/> / <see cref="PasswordSyncStatus.RetryRequestedByTarget"/> for the
    /// managed domain's Kerberos keys), otherwise the status of the first reason that prevents the sync.
    /// </summary>
    public PasswordSyncStatus Status { get; }

    /// <summary>Every reason that applies, in evaluation order (preventing and informational).</summary>
    public IReadOnlyList<SyncReason> Reasons { get; }

    /// <summary>The on-premises password change this decision is about.</summary>
    public PasswordChangeVersion Version { get; }

    /// <summary>The record for the cloud when <see cref="Action"/> is <see cref="SyncAction.Export"/>.</summary>
    public CloudPasswordRecord? CloudRecord { get; }

    /// <summary>The record for the managed domain, when it is enabled and the Kerberos keys are present.</summary>
    public ManagedDomainRecord? ManagedDomainRecord { get; }

    /// <summary>The per-user state to remember once this decision is carried out (for a skip: as decided).</summary>
    public SyncUserState StateAfterSuccess { get; }

    /// <inheritdoc />
    public override string ToString() => $"SyncDecision {{ {DistinguishedName}, {Action}, {Status}, [{string.Join(", ", Reasons)}] }}";
}
