namespace PasswordHashSync.Replication;

/// <summary>
/// A replicated secret could not be decrypted: it is too short, its length does not fit the attribute, or its
/// CRC-32 did not match under any known session key. No partial output is ever returned.
/// </summary>
public sealed class ReplicatedSecretDecryptionException : FormatException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ReplicatedSecretDecryptionException()
        : base("The replicated secret could not be decrypted.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong (never secret material).</param>
    public ReplicatedSecretDecryptionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong (never secret material).</param>
    /// <param name="innerException">The cause.</param>
    public ReplicatedSecretDecryptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
