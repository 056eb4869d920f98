namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// A <c>supplementalCredentials</c> blob or one of its properties is malformed: a length, count or offset points
/// outside the blob, a signature or revision is wrong, or a value is not valid hex. This is the only exception
/// the parsers throw for bad input; they never read out of range.
/// </summary>
public sealed class SupplementalCredentialsFormatException : FormatException
{
    /// <summary>Creates the exception with a default message.</summary>
    public SupplementalCredentialsFormatException()
        : base("The supplementalCredentials blob is malformed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and where (never secret material).</param>
    public SupplementalCredentialsFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public SupplementalCredentialsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
