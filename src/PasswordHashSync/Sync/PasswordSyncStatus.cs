namespace PasswordHashSync.Sync;

/// <summary>
/// The per-object password hash sync status: the ten log status values documented by Microsoft's troubleshooting
/// guide (<see cref="Success"/> to <see cref="RetryRequestedByTarget"/>), and two of this library's own
/// (<see cref="OutOfScope"/>, <see cref="NotAttempted"/>) for the cases where the product makes no attempt and so logs
/// nothing. The numeric values are this library's, not the product's.
/// </summary>
public enum PasswordSyncStatus
{
    /// <summary>Password has been successfully synchronized.</summary>
    Success = 0,

    /// <summary>Password is set to "User must change password at next logon"; it has not been synchronized.</summary>
    FilteredByTarget = 1,

    /// <summary>No object in the metaverse or in the cloud connector space.</summary>
    NoTargetConnection = 2,

    /// <summary>No object found in the on-premises Active Directory connector space.</summary>
    SourceConnectorNotPresent = 3,

    /// <summary>The object in the cloud connector space has not yet been exported.</summary>
    TargetNotExportedToDirectory = 4,

    /// <summary>A log entry created before build 1.0.9125.0, shown in its legacy state (never produced by this engine).</summary>
    MigratedCheckDetailsForMoreInfo = 5,

    /// <summary>The service returned an error.</summary>
    Error = 6,

    /// <summary>An error occurred while trying to process a batch of password hashes.</summary>
    Unknown = 7,

    /// <summary>Attributes the managed domain needs (for example the Kerberos keys) are not available.</summary>
    MissingAttribute = 8,

    /// <summary>Attributes the managed domain needs were missing before; the password hash is being synchronized again.</summary>
    RetryRequestedByTarget = 9,

    /// <summary>
    /// Not a product log status: the object is outside the password sync scope (not a <c>user</c> object, such as a
    /// computer or contact; a disabled account; excluded by selective password hash sync), so no attempt is made.
    /// The reasons say which rule applies.
    /// </summary>
    OutOfScope = 10,

    /// <summary>
    /// Not a product log status: the object is in scope but no attempt is made yet because the whole channel waits
    /// (staging mode, or the first full directory sync has not completed).
    /// </summary>
    NotAttempted = 11,
}
