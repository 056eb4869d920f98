namespace PasswordHashSync.Sync;

/// <summary>Why a user's password does (or does not) synchronize: every finding that applies, not only the first.</summary>
public sealed class UserSyncDiagnosis
{
    internal UserSyncDiagnosis(string sourceAnchor, string distinguishedName, PasswordSyncStatus status, IReadOnlyList<SyncFinding> findings, SyncUserState? state, SyncRetryEntry? retry)
    {
        SourceAnchor = sourceAnchor;
        DistinguishedName = distinguishedName;
        Status = status;
        Findings = findings;
        State = state;
        Retry = retry;
    }

    /// <summary>The user's source anchor.</summary>
    public string SourceAnchor { get; }

    /// <summary>The on-premises distinguished name.</summary>
    public string DistinguishedName { get; }

    /// <summary>The overall status: the first preventing finding's, else the retry / managed-domain status, else Success.</summary>
    public PasswordSyncStatus Status { get; }

    /// <summary>Every finding, in evaluation order.</summary>
    public IReadOnlyList<SyncFinding> Findings { get; }

    /// <summary>Whether the password would be sent.</summary>
    public bool WillSync => !Findings.Any(f => f.PreventsSync);

    /// <summary>The remembered state of the user, if any (last applied change, scope).</summary>
    public SyncUserState? State { get; }

    /// <summary>The user's retry-queue entry, if its last export failed.</summary>
    public SyncRetryEntry? Retry { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{DistinguishedName}: {Status}" + string.Concat(Findings.Select(f => Environment.NewLine + "  - " + f));
}
