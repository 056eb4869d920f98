namespace PasswordHashSync.Sync;

/// <summary>
/// Why a user's password is (or is not) synchronized. Each reason has a log status, a description and an
/// administrator remedy: see <see cref="SyncReasons"/>.
/// </summary>
public enum SyncReason
{
    /// <summary>Password hash sync is not enabled for the tenant (event 652, "Error Code: 90").</summary>
    PasswordHashSyncNotEnabled = 1,

    /// <summary>The password hash sync channel of this on-premises connector is disabled.</summary>
    ConnectorChannelDisabled = 2,

    /// <summary>The server is in staging mode: it does not synchronize passwords.</summary>
    StagingMode = 3,

    /// <summary>A full directory sync has not completed yet, so password sync waits (event 613).</summary>
    FullDirectorySyncNotCompleted = 4,

    /// <summary>The connector account lacks Replicate Directory Changes / Replicate Directory Changes All.</summary>
    MissingReplicationPermissions = 5,

    /// <summary>No heartbeat (event 654) in the last three hours (channel check only).</summary>
    NoRecentHeartbeat = 6,

    /// <summary>The object is not of class <c>user</c> (iNetOrgPerson, contact, computer, ... never sync a password).</summary>
    NotUserObject = 7,

    /// <summary>The account is disabled, so the default PHS sync rule does not apply to it.</summary>
    AccountDisabled = 8,

    /// <summary>Selective PHS excludes the user: <c>adminDescription</c> is <c>PHSFiltered</c>.</summary>
    SelectiveSyncFiltered = 9,

    /// <summary>Selective PHS includes only marked users and this one is not marked <c>PHSIncluded</c>.</summary>
    SelectiveSyncNotIncluded = 10,

    /// <summary>The password is temporary ("User must change password at next logon") and the force-change feature is off.</summary>
    TemporaryPassword = 11,

    /// <summary>The object is not in the on-premises connector space (filtered by domain, OU or attribute).</summary>
    NotInConnectorSpace = 12,

    /// <summary>The object carries <c>cloudFiltered</c>, so it has no cloud counterpart.</summary>
    CloudFiltered = 13,

    /// <summary>There is no corresponding object in the cloud (metaverse or cloud connector space).</summary>
    NoCloudObject = 14,

    /// <summary>The cloud object exists in the connector space but has not been exported yet.</summary>
    CloudObjectNotExported = 15,

    /// <summary>The account has no password hash (for example created before Windows Server 2003).</summary>
    NoPasswordHash = 16,

    /// <summary>The managed domain is enabled and the Kerberos keys are missing from <c>supplementalCredentials</c>.</summary>
    KerberosKeysMissing = 17,

    /// <summary>The Kerberos keys were missing before and are being sent again now.</summary>
    KerberosKeysRetried = 18,

    /// <summary>The last export of this user failed; it is in the retry queue.</summary>
    ExportFailed = 19,

    /// <summary>The password was changed in the cloud after the last sync; it holds until the next on-premises change.</summary>
    CloudPasswordOverridden = 20,

    /// <summary>The user just entered the sync scope; its current password is sent as an initial sync.</summary>
    EnteredScope = 21,

    /// <summary>The NT hash read for the user is not 16 bytes (a reader or decryption fault); nothing is sent.</summary>
    InvalidPasswordHash = 22,
}
