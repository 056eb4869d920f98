namespace PasswordHashSync.Sync;

/// <summary>The scope and eligibility verdict for one user, before ordering and state are considered.</summary>
public sealed class SyncEvaluation
{
    internal SyncEvaluation(IReadOnlyList<SyncReason> reasons, bool forceChangePasswordNextSignIn)
    {
        Reasons = reasons;
        ForceChangePasswordNextSignIn = forceChangePasswordNextSignIn;
        PasswordSyncStatus? status = null;
        foreach (SyncReason reason in reasons)
        {
            if (SyncReasons.PreventsSync(reason))
            {
                status ??= SyncReasons.GetStatus(reason);
                if (SyncReasons.IsChannelLevel(reason))
                {
                    BlockedByChannel = true;
                }
                else
                {
                    BlockedByUserRule = true;
                }
            }
        }

        Status = status ?? PasswordSyncStatus.Success;
    }

    /// <summary>Every reason found, in evaluation order.</summary>
    public IReadOnlyList<SyncReason> Reasons { get; }

    /// <summary>Whether the password may be sent.</summary>
    public bool CanSync => !BlockedByChannel && !BlockedByUserRule;

    /// <summary>The status of the first preventing reason, or <see cref="PasswordSyncStatus.Success"/>.</summary>
    public PasswordSyncStatus Status { get; }

    /// <summary>Whether a per-user rule (not a channel-level one) prevents the sync; such a user is out of scope.</summary>
    public bool BlockedByUserRule { get; }

    /// <summary>Whether a channel-level reason (tenant, connector, staging, permissions, directory sync) prevents the sync.</summary>
    public bool BlockedByChannel { get; }

    /// <summary>Whether the cloud record carries the force-change flag (temporary password with the feature on).</summary>
    public bool ForceChangePasswordNextSignIn { get; }
}
