namespace PasswordHashSync.Sync;

/// <summary>A saved sync state is unreadable: torn, tampered with or not a state file. The message names the file.</summary>
public sealed class SyncStateCorruptedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SyncStateCorruptedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public SyncStateCorruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SyncStateCorruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="innerException">The cause, if any.</param>
    internal SyncStateCorruptedException(string path, string problem, Exception? innerException)
        : base($"The sync state file '{path}' is corrupted: {problem}. Restore it from a backup or delete it to start over with a full sync.", innerException)
    {
        FilePath = path;
    }

    /// <summary>The corrupted file, when the state came from a file.</summary>
    public string? FilePath { get; }
}
