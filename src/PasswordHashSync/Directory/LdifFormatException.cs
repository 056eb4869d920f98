namespace PasswordHashSync.Directory;

/// <summary>An LDIF export is malformed or uses a feature the reader does not accept (change records, URL values).</summary>
public sealed class LdifFormatException : FormatException
{
    /// <summary>Creates the exception with a default message.</summary>
    public LdifFormatException()
        : base("The LDIF input is malformed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public LdifFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public LdifFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a line.</summary>
    /// <param name="lineNumber">The 1-based line where the problem starts.</param>
    /// <param name="message">What is wrong (never a secret value).</param>
    public LdifFormatException(long lineNumber, string message)
        : base($"LDIF line {lineNumber}: {message}")
    {
        LineNumber = lineNumber;
    }

    /// <summary>The 1-based line number where the problem starts, or 0 when unknown.</summary>
    public long LineNumber { get; }
}
