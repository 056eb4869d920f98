using System.Globalization;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>The server answered a call or a bind with a DCE/RPC fault PDU (C706 12.6.4.7; MS-RPCE 2.2.2.12).</summary>
public class RpcFaultException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public RpcFaultException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RpcFaultException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public RpcFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a fault status.</summary>
    /// <param name="status">The fault PDU's status, for example 0x1C01000B (nca_s_proto_error).</param>
    /// <param name="message">What the status means, for an administrator.</param>
    public RpcFaultException(uint status, string message)
        : base(string.Create(CultureInfo.InvariantCulture, $"{message} (DCE/RPC fault 0x{status:X8})"))
    {
        Status = status;
    }

    /// <summary>The fault status (nca_s_* or a Win32 error code).</summary>
    public uint Status { get; }
}
