namespace PasswordHashSync.Sync;

/// <summary>What the engine decided to do with one user in one plan.</summary>
public enum SyncAction
{
    /// <summary>Send the password hash (a cloud record, and a managed-domain record when that is enabled).</summary>
    Export = 0,

    /// <summary>Do not send: at least one rule keeps this user's password from synchronizing (see the reasons).</summary>
    Skip = 1,

    /// <summary>Nothing to do: this exact change was already applied.</summary>
    UpToDate = 2,

    /// <summary>
    /// Nothing to do: a newer change was already applied, or the password was reset in the cloud after this change; an
    /// older change never overwrites a newer one.
    /// </summary>
    Superseded = 3,
}
