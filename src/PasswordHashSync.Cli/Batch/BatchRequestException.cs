namespace PasswordHashSync.Cli.Batch;

/// <summary>A request line cannot be answered; becomes an <c>error</c> response, and the batch goes on.</summary>
internal sealed class BatchRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">One of <see cref="BatchErrorCodes"/>.</param>
    /// <param name="message">What is wrong, naming the field, never echoing a secret.</param>
    public BatchRequestException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates the exception.</summary>
    public BatchRequestException()
    {
        Code = BatchErrorCodes.InvalidValue;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public BatchRequestException(string message)
        : base(message)
    {
        Code = BatchErrorCodes.InvalidValue;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public BatchRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = BatchErrorCodes.InvalidValue;
    }

    /// <summary>The error code.</summary>
    public string Code { get; }
}
