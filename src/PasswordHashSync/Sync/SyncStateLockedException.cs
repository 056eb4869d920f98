namespace PasswordHashSync.Sync;

/// <summary>
/// Another process (or another <see cref="FileSyncStateStore"/> in this one) holds the sync state's lock file. Two
/// runners on one state would lose each other's saves, so the second refuses at once. The message names the lock file.
/// </summary>
public sealed class SyncStateLockedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public SyncStateLockedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public SyncStateLockedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SyncStateLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal SyncStateLockedException(string statePath, string lockFilePath, Exception? innerException)
        : base(
            $"The sync state '{statePath}' is in use by another process: its lock file '{lockFilePath}' is held. " +
            $"Only one 'pwsync agent' or 'pwsync sync --state' may use a state at a time; stop the other one " +
            $"(find it with: fuser '{lockFilePath}') or give this one its own state file.",
            innerException)
    {
        StatePath = statePath;
        LockFilePath = lockFilePath;
    }

    /// <summary>The state file.</summary>
    public string? StatePath { get; }

    /// <summary>The lock file that is held.</summary>
    public string? LockFilePath { get; }
}
