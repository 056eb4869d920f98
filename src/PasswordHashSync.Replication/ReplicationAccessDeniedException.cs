namespace PasswordHashSync.Replication;

/// <summary>
/// The DC refused to replicate (ERROR_DS_DRA_ACCESS_DENIED, 8453): the account lacks "Replicating Directory Changes"
/// and/or "Replicating Directory Changes All" on the domain. <see cref="MissingRights"/> says which, as far as the
/// client could tell by asking the DC once more without secrets; the message names them and the remedy.
/// </summary>
public class ReplicationAccessDeniedException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public ReplicationAccessDeniedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, for an administrator.</param>
    public ReplicationAccessDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong, for an administrator.</param>
    /// <param name="innerException">The underlying error.</param>
    public ReplicationAccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for missing rights.</summary>
    /// <param name="missingRights">The rights the account lacks.</param>
    /// <param name="message">The diagnostic.</param>
    public ReplicationAccessDeniedException(ReplicationRights missingRights, string message)
        : base(message)
    {
        MissingRights = missingRights;
    }

    /// <summary>The rights the account lacks on the domain naming context.</summary>
    public ReplicationRights MissingRights { get; }
}
