namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// A DRSUAPI response stub is malformed: a count or length that does not fit in the bytes that remain, a null
/// pointer where the IDL requires one, a reply version the client does not handle, or a value outside the range
/// <c>librpc/idl/drsuapi.idl</c> allows. The message names the structure and field; it never contains secret bytes.
/// </summary>
public class DrsProtocolException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public DrsProtocolException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was malformed.</param>
    public DrsProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What was malformed.</param>
    /// <param name="innerException">The underlying error.</param>
    public DrsProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
