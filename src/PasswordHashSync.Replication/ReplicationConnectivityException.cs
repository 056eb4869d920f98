namespace PasswordHashSync.Replication;

/// <summary>
/// The domain controller could not be reached or stopped answering: the name did not resolve, the port was closed or
/// filtered, the connection was reset, or a reply did not arrive in time. The cycle fails and the next one retries;
/// nothing was lost. The message names the DC, the port and what happened.
/// </summary>
public class ReplicationConnectivityException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public ReplicationConnectivityException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, for an administrator.</param>
    public ReplicationConnectivityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong, for an administrator.</param>
    /// <param name="innerException">The socket, timeout or protocol error.</param>
    public ReplicationConnectivityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
