namespace PasswordHashSync.Cli.Arguments;

/// <summary>The input or data is wrong; pwsync prints the message and exits with <see cref="ExitCodes.DataError"/>.</summary>
internal sealed class DataException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, without any secret.</param>
    public DataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DataException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
