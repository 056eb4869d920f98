namespace PasswordHashSync.Replication;

/// <summary>
/// The base of every error the replication client reports: the directory could not be reached, refused the
/// credentials or the rights, or sent something malformed. Messages never contain a key, hash or password.
/// </summary>
public class ReplicationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReplicationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, for an administrator.</param>
    public ReplicationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong, for an administrator.</param>
    /// <param name="innerException">The underlying error.</param>
    public ReplicationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Whether the DC refused the DCE/RPC bind's authentication: a bind_nak, a fault answering the bind or
    /// alter_context, or, for a refused auth3 (which gets no answer), a fault or a closed connection on the first call
    /// right after authentication. Not set for failures before the bind (the KDC, connecting) or of later calls.
    /// </summary>
    internal bool IsBindRefusal { get; init; }
}
