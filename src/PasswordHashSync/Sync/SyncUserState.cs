namespace PasswordHashSync.Sync;

/// <summary>What the engine remembers about one user between cycles. Holds no secret.</summary>
public sealed record SyncUserState
{
    /// <summary>The last change applied to the cloud, or <see langword="null"/> when none has been.</summary>
    public PasswordChangeVersion? LastApplied { get; init; }

    /// <summary>Whether the user was in scope at its last evaluation (a user entering scope gets an initial sync).</summary>
    public bool InScope { get; init; }

    /// <summary>Whether the cloud user carries <c>DisablePasswordExpiration</c> from a previous sync.</summary>
    public bool DisablePasswordExpirationApplied { get; init; }

    /// <summary>Whether the managed domain is still owed the Kerberos keys (they were missing at the last attempt).</summary>
    public bool ManagedDomainPending { get; init; }
}
