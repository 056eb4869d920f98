namespace PasswordHashSync.Replication.Rpc;

/// <summary>The TCP connection to the server could not be opened, was reset, or was closed in the middle of an exchange.</summary>
public class RpcConnectionException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public RpcConnectionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RpcConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error (usually a <see cref="System.Net.Sockets.SocketException"/>).</param>
    public RpcConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
