namespace PasswordHashSync.Replication.Rpc;

/// <summary>The server's DCE/RPC PDUs are malformed, out of order or exceed a limit (MS-RPCE, C706 chapter 12).</summary>
public class RpcProtocolException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public RpcProtocolException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RpcProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public RpcProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
