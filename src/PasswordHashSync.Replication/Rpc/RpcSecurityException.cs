namespace PasswordHashSync.Replication.Rpc;

/// <summary>An incoming PDU failed signature or wrap-token verification, or a security context was used before it was complete.</summary>
public class RpcSecurityException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public RpcSecurityException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RpcSecurityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public RpcSecurityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
