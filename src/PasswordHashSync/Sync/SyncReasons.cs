namespace PasswordHashSync.Sync;

/// <summary>The log status, description and administrator remedy of every <see cref="SyncReason"/>.</summary>
/// <remarks>
/// Where the product documents no status for a reason (no sync attempt is made, so nothing is logged), the
/// engine reports <see cref="PasswordSyncStatus.OutOfScope"/> for objects the sync scope leaves out (computers,
/// disabled accounts, selective sync), <see cref="PasswordSyncStatus.NotAttempted"/> while the whole channel waits
/// (staging mode, no full sync yet), and <see cref="PasswordSyncStatus.Error"/> for configuration faults; never
/// <see cref="PasswordSyncStatus.Unknown"/>, which the product reserves for a failed batch. The README (sync policy
/// engine, status of each reason) lists which mappings are documented and which are this library's choice.
/// </remarks>
public static class SyncReasons
{
    /// <summary>The log status reported for a reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The status.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is not a defined value.</exception>
    public static PasswordSyncStatus GetStatus(SyncReason reason) => reason switch
    {
        SyncReason.PasswordHashSyncNotEnabled => PasswordSyncStatus.Error,
        SyncReason.ConnectorChannelDisabled => PasswordSyncStatus.Error,
        SyncReason.StagingMode => PasswordSyncStatus.NotAttempted,
        SyncReason.FullDirectorySyncNotCompleted => PasswordSyncStatus.NotAttempted,
        SyncReason.MissingReplicationPermissions => PasswordSyncStatus.Error,
        SyncReason.NoRecentHeartbeat => PasswordSyncStatus.NotAttempted,
        SyncReason.NotUserObject => PasswordSyncStatus.OutOfScope,
        SyncReason.AccountDisabled => PasswordSyncStatus.OutOfScope,
        SyncReason.SelectiveSyncFiltered => PasswordSyncStatus.OutOfScope,
        SyncReason.SelectiveSyncNotIncluded => PasswordSyncStatus.OutOfScope,
        SyncReason.TemporaryPassword => PasswordSyncStatus.FilteredByTarget,
        SyncReason.NotInConnectorSpace => PasswordSyncStatus.SourceConnectorNotPresent,
        SyncReason.CloudFiltered => PasswordSyncStatus.NoTargetConnection,
        SyncReason.NoCloudObject => PasswordSyncStatus.NoTargetConnection,
        SyncReason.CloudObjectNotExported => PasswordSyncStatus.TargetNotExportedToDirectory,
        SyncReason.NoPasswordHash => PasswordSyncStatus.Error,
        SyncReason.KerberosKeysMissing => PasswordSyncStatus.MissingAttribute,
        SyncReason.KerberosKeysRetried => PasswordSyncStatus.RetryRequestedByTarget,
        SyncReason.ExportFailed => PasswordSyncStatus.Error,
        SyncReason.CloudPasswordOverridden => PasswordSyncStatus.Success,
        SyncReason.EnteredScope => PasswordSyncStatus.Success,
        SyncReason.InvalidPasswordHash => PasswordSyncStatus.Error,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a defined sync reason."),
    };

    /// <summary>Whether a reason keeps the password from being sent (as opposed to an informational reason).</summary>
    /// <param name="reason">The reason.</param>
    /// <returns><see langword="true"/> when the password is not sent because of <paramref name="reason"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is not a defined value.</exception>
    public static bool PreventsSync(SyncReason reason) => reason switch
    {
        SyncReason.KerberosKeysMissing or SyncReason.KerberosKeysRetried or SyncReason.ExportFailed
            or SyncReason.CloudPasswordOverridden or SyncReason.EnteredScope or SyncReason.NoRecentHeartbeat => false,
        _ when Enum.IsDefined(reason) => true,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a defined sync reason."),
    };

    /// <summary>Whether a reason concerns the whole channel (every user) rather than one object.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns><see langword="true"/> for tenant, connector, staging, permission, directory-sync and heartbeat reasons.</returns>
    public static bool IsChannelLevel(SyncReason reason) => reason is SyncReason.PasswordHashSyncNotEnabled
        or SyncReason.ConnectorChannelDisabled or SyncReason.StagingMode or SyncReason.FullDirectorySyncNotCompleted
        or SyncReason.MissingReplicationPermissions or SyncReason.NoRecentHeartbeat;

    /// <summary>A one-sentence description of a reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The description.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is not a defined value.</exception>
    public static string GetDescription(SyncReason reason) => reason switch
    {
        SyncReason.PasswordHashSyncNotEnabled => "Password hash synchronization is not turned on for the tenant.",
        SyncReason.ConnectorChannelDisabled => "The password hash sync channel of this on-premises connector is turned off.",
        SyncReason.StagingMode => "The sync server is in staging mode and does not send any password.",
        SyncReason.FullDirectorySyncNotCompleted => "Password sync waits until a full directory sync has completed.",
        SyncReason.MissingReplicationPermissions => "The connector account cannot replicate secrets (Replicate Directory Changes and Replicate Directory Changes All are both needed).",
        SyncReason.NoRecentHeartbeat => "No password sync heartbeat was recorded in the last three hours.",
        SyncReason.NotUserObject => "Only objects of class user synchronize a password; iNetOrgPerson, contacts, computers and other classes never do.",
        SyncReason.AccountDisabled => "The account is disabled, and the default password-sync rule only covers enabled accounts.",
        SyncReason.SelectiveSyncFiltered => "Selective password hash sync excludes this user (adminDescription is PHSFiltered).",
        SyncReason.SelectiveSyncNotIncluded => "Selective password hash sync only includes users whose adminDescription is PHSIncluded.",
        SyncReason.TemporaryPassword => "The password is temporary (user must change password at next logon) and temporary passwords are not synchronized.",
        SyncReason.NotInConnectorSpace => "The object is not in the on-premises connector space (domain, OU or attribute filtering).",
        SyncReason.CloudFiltered => "The object is marked cloudFiltered, so it has no cloud counterpart to receive the password.",
        SyncReason.NoCloudObject => "There is no corresponding object in the cloud tenant.",
        SyncReason.CloudObjectNotExported => "The cloud object has not been exported yet.",
        SyncReason.NoPasswordHash => "The account has no password hash to synchronize.",
        SyncReason.KerberosKeysMissing => "The managed domain needs Kerberos keys and supplementalCredentials holds none.",
        SyncReason.KerberosKeysRetried => "The Kerberos keys were missing before; the password hash is being synchronized again.",
        SyncReason.ExportFailed => "The last attempt to send this password failed; it is queued for an automatic retry.",
        SyncReason.CloudPasswordOverridden => "The password was reset in the cloud after the last sync; the cloud password applies until the next on-premises change.",
        SyncReason.EnteredScope => "The user entered the sync scope; its current password is sent as an initial sync.",
        SyncReason.InvalidPasswordHash => "The password hash read from the directory has the wrong length, so it cannot be a valid NT hash.",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a defined sync reason."),
    };

    /// <summary>What an administrator should do about a reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The remedy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is not a defined value.</exception>
    public static string GetRemedy(SyncReason reason) => reason switch
    {
        SyncReason.PasswordHashSyncNotEnabled => "Turn on password hash synchronization for the tenant, then let the initial sync run. It is turned off when an administrator changes the user sign-in method from password hash synchronization to another option, such as federation with AD FS, in the Entra Connect wizard: set password hash synchronization again in the wizard (Change user sign-in).",
        SyncReason.ConnectorChannelDisabled => "Turn the connector's password sync channel off and on again (Set-ADSyncAADPasswordSyncConfiguration -Enable); if the user sign-in method was changed away from password hash synchronization in the Entra Connect wizard, set it again there (Change user sign-in).",
        SyncReason.StagingMode => "Take the server out of staging mode on the one active server; it resumes from where it left off.",
        SyncReason.FullDirectorySyncNotCompleted => "Run or finish a full directory synchronization; password sync starts after it.",
        SyncReason.MissingReplicationPermissions => "Grant the connector account Replicate Directory Changes and Replicate Directory Changes All at the root of every domain, and check its user name and password.",
        SyncReason.NoRecentHeartbeat => "Check connectivity to the domain controllers and to the cloud; if nothing else works, trigger one full password sync.",
        SyncReason.NotUserObject => "Nothing to fix in the engine: use a user object for accounts that need a synchronized password.",
        SyncReason.AccountDisabled => "Enable the account, or enable SyncDisabledAccounts if your sync rules also cover disabled accounts.",
        SyncReason.SelectiveSyncFiltered => "Clear PHSFiltered from adminDescription if this user's password should synchronize.",
        SyncReason.SelectiveSyncNotIncluded => "Set adminDescription to PHSIncluded if this user's password should synchronize.",
        SyncReason.TemporaryPassword => "Ask the user to sign in on premises (for example at a Windows desktop) and change the password; or have an administrator reset the password without selecting \"User must change password at next logon\" and share the new password with the user; or turn on the force-password-change-on-logon feature (with SSPR and password writeback).",
        SyncReason.NotInConnectorSpace => "Check the domain, OU and attribute filtering of the on-premises connector.",
        SyncReason.CloudFiltered => "Remove the cause of cloudFiltered (filtering rules) so the object is provisioned to the cloud.",
        SyncReason.NoCloudObject => "Make sure the object is provisioned to the cloud (check for duplicate UPN or proxy addresses).",
        SyncReason.CloudObjectNotExported => "Let the next export run, or check export errors on the cloud connector.",
        SyncReason.NoPasswordHash => "Set a new password on premises so a hash exists.",
        SyncReason.KerberosKeysMissing => "Have the user change the password on premises (accounts without AES keys need a new password), then run a full password sync.",
        SyncReason.KerberosKeysRetried => "No action: the engine is resending the hash with the Kerberos keys.",
        SyncReason.ExportFailed => "Check connectivity to the cloud; the engine retries automatically with backoff.",
        SyncReason.CloudPasswordOverridden => "Have the user change the password on premises, or use password writeback to keep both sides equal.",
        SyncReason.EnteredScope => "No action: the initial sync for this user runs automatically.",
        SyncReason.InvalidPasswordHash => "Check how the directory is read (secret decryption, export format); then set a new password if the stored hash is damaged.",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a defined sync reason."),
    };
}
