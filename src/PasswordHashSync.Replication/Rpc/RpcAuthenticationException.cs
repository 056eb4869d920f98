namespace PasswordHashSync.Replication.Rpc;

/// <summary>The server refused the credentials (wrong password, unknown user, disabled authentication method) or sent a malformed authentication token.</summary>
public class RpcAuthenticationException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public RpcAuthenticationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RpcAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public RpcAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
