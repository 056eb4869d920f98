using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PasswordHashSync.Sync;

/// <summary>
/// Keeps the state in a JSON file. A save writes a temporary file, flushes it to disk, then atomically replaces the
/// old file, so a crash mid-write leaves the previous state intact. A SHA-256 checksum over the payload detects a torn
/// or corrupted file, which is reported with <see cref="SyncStateCorruptedException"/> naming the file.
/// </summary>
/// <remarks>
/// <para>The file holds anchors, change times and flags only, never a hash or a key.</para>
/// <para>Exclusive use: the constructor takes an inter-process lock on <see cref="LockFilePath"/> (the state path plus
/// <c>.lock</c>, opened with <see cref="FileShare.None"/>: an <c>flock(LOCK_EX)</c> on Linux, a share-mode lock on
/// Windows) and holds it until <see cref="Dispose"/> or the end of the process, whatever way it ends. A second store on
/// the same state, in this process or another, fails at once with <see cref="SyncStateLockedException"/>, so two
/// runners never lose each other's saves. Readers that only look (<see cref="ReadAsync"/>) need no lock: a save
/// replaces the file by an atomic rename. The lock file itself is never deleted (deleting it would let two processes
/// lock two different files of the same name).</para>
/// </remarks>
public sealed class FileSyncStateStore : ISyncStateStore, IDisposable
{
    private const string Magic = "PHSSYNCSTATE 1 sha256=";
    private const int CurrentFormatVersion = 1;
    private const int MaxFileSize = 512 * 1024 * 1024;

    private readonly FileStream _lock;

    /// <summary>Creates a store for a file and takes its exclusive lock (held until <see cref="Dispose"/>).</summary>
    /// <param name="path">The state file; its directory is created now (for the lock file).</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="SyncStateLockedException">Another store (another process) holds the lock.</exception>
    /// <exception cref="UnauthorizedAccessException">The lock file cannot be created or opened.</exception>
    public FileSyncStateStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
        LockFilePath = FilePath + ".lock";
        _lock = AcquireLock(FilePath, LockFilePath);
    }

    /// <summary>The full path of the state file.</summary>
    public string FilePath { get; }

    /// <summary>The full path of the lock file (<see cref="FilePath"/> plus <c>.lock</c>).</summary>
    public string LockFilePath { get; }

    private string TemporaryPath => FilePath + ".tmp";

    /// <summary>
    /// Reads a state file without taking its lock, for tools that only look (<c>pwsync agent status</c>) while the owner
    /// runs: saves replace the file atomically, so the read sees one whole state.
    /// </summary>
    /// <param name="path">The state file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or a new empty state when the file does not exist.</returns>
    /// <exception cref="SyncStateCorruptedException">The file is unreadable.</exception>
    public static ValueTask<SyncState> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return ReadCoreAsync(Path.GetFullPath(path), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The store was disposed (its lock released).</exception>
    public ValueTask<SyncState> LoadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(!_lock.CanRead, this);
        return ReadCoreAsync(FilePath, cancellationToken);
    }

    /// <summary>Releases the lock; the store can no longer be used.</summary>
    public void Dispose() => _lock.Dispose();

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The store was disposed (its lock released).</exception>
    public async ValueTask SaveAsync(SyncState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ObjectDisposedException.ThrowIf(!_lock.CanRead, this);
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(ToDocument(state), SyncStateJsonContext.Default.SyncStateDocument);
        byte[] header = Encoding.ASCII.GetBytes(Magic + Convert.ToHexStringLower(SHA256.HashData(payload)) + "\n");
        string? directory = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            System.IO.Directory.CreateDirectory(directory);
        }

        var stream = new FileStream(TemporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

            // Durable before the rename: otherwise a power loss could leave the new name on unflushed data.
            stream.Flush(flushToDisk: true);
        }

        File.Move(TemporaryPath, FilePath, overwrite: true);
    }

    private static async ValueTask<SyncState> ReadCoreAsync(string path, CancellationToken cancellationToken)
    {
        // A leftover temporary file is an interrupted save: the previous file is still the truth.
        if (!File.Exists(path))
        {
            return new SyncState();
        }

        var info = new FileInfo(path);
        if (info.Length > MaxFileSize)
        {
            throw new SyncStateCorruptedException(path, $"it is {info.Length} bytes, more than the {MaxFileSize} allowed", null);
        }

        byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(path, bytes);
    }

    private static FileStream AcquireLock(string statePath, string lockPath)
    {
        string? directory = Path.GetDirectoryName(lockPath);
        if (!string.IsNullOrEmpty(directory))
        {
            System.IO.Directory.CreateDirectory(directory);
        }

        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new FileStream(lockPath, options);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            // ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION (Windows), EWOULDBLOCK from flock mapped to the same (Unix).
            throw new SyncStateLockedException(statePath, lockPath, e);
        }
    }

    internal static SyncState Parse(string path, byte[] bytes)
    {
        int newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline < 0 || newline != Magic.Length + 64 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Encoding.ASCII.GetBytes(Magic)))
        {
            throw new SyncStateCorruptedException(path, "the header is missing or malformed (torn write or not a sync state file)", null);
        }

        ReadOnlySpan<byte> payload = bytes.AsSpan(newline + 1);
        string expected = Encoding.ASCII.GetString(bytes, Magic.Length, 64);
        if (!string.Equals(expected, Convert.ToHexStringLower(SHA256.HashData(payload)), StringComparison.Ordinal))
        {
            throw new SyncStateCorruptedException(path, "the SHA-256 checksum does not match the content", null);
        }

        SyncStateDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(payload, SyncStateJsonContext.Default.SyncStateDocument);
        }
        catch (JsonException e)
        {
            throw new SyncStateCorruptedException(path, "the content is not valid state JSON", e);
        }

        if (document is null || document.FormatVersion != CurrentFormatVersion)
        {
            throw new SyncStateCorruptedException(path, $"format version {document?.FormatVersion} is not {CurrentFormatVersion}", null);
        }

        return FromDocument(path, document);
    }

    private static SyncStateDocument ToDocument(SyncState state)
    {
        var document = new SyncStateDocument
        {
            FormatVersion = CurrentFormatVersion,
            Watermark = state.Watermark,
            InitialSyncCompleted = state.InitialSyncCompleted,
            FullSyncRequested = state.FullSyncRequested,
            ScopeSettingsStamp = state.ScopeSettingsStamp,
            LastHeartbeat = state.LastHeartbeat,
            LastSuccessfulExport = state.LastSuccessfulExport,
            LastCycleCompleted = state.LastCycleCompleted,
            LastCycleKind = state.LastCycleKind,
        };
        foreach (SyncErrorEntry error in state.RecentErrors)
        {
            document.RecentErrors!.Add(new SyncErrorEntryDocument { Time = error.Time, Message = error.Message });
        }

        foreach (KeyValuePair<string, SyncUserState> pair in state.Users.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            document.Users.Add(new SyncUserStateDocument
            {
                Anchor = pair.Key,
                AppliedChangeTime = pair.Value.LastApplied?.ChangeTime,
                AppliedMustChange = pair.Value.LastApplied?.MustChange ?? false,
                AppliedPasswordTime = pair.Value.LastApplied?.PasswordTime,
                InScope = pair.Value.InScope,
                DisablePasswordExpirationApplied = pair.Value.DisablePasswordExpirationApplied,
                ManagedDomainPending = pair.Value.ManagedDomainPending,
            });
        }

        foreach (KeyValuePair<string, SyncRetryEntry> pair in state.RetryQueue.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            document.RetryQueue.Add(new SyncRetryEntryDocument
            {
                Anchor = pair.Key,
                ChangeTime = pair.Value.Version.ChangeTime,
                MustChange = pair.Value.Version.MustChange,
                PasswordTime = pair.Value.Version.PasswordTime,
                Attempts = pair.Value.Attempts,
                NextAttempt = pair.Value.NextAttempt,
            });
        }

        return document;
    }

    private static SyncState FromDocument(string path, SyncStateDocument document)
    {
        var state = new SyncState
        {
            Watermark = document.Watermark,
            InitialSyncCompleted = document.InitialSyncCompleted,
            FullSyncRequested = document.FullSyncRequested,
            ScopeSettingsStamp = document.ScopeSettingsStamp,
            LastHeartbeat = document.LastHeartbeat,
            LastSuccessfulExport = document.LastSuccessfulExport,
            LastCycleCompleted = document.LastCycleCompleted,
            LastCycleKind = document.LastCycleKind,
        };
        foreach (SyncErrorEntryDocument? error in document.RecentErrors ?? [])
        {
            if (error?.Message is null || state.RecentErrors.Count >= SyncState.MaxRecentErrors)
            {
                throw new SyncStateCorruptedException(path, $"an error entry has no message or there are more than {SyncState.MaxRecentErrors}", null);
            }

            state.RecentErrors.Add(new SyncErrorEntry(error.Time, error.Message));
        }

        foreach (SyncUserStateDocument user in document.Users ?? [])
        {
            if (string.IsNullOrEmpty(user?.Anchor) || !state.Users.TryAdd(user.Anchor, new SyncUserState
            {
                LastApplied = user.AppliedChangeTime is DateTimeOffset t ? new PasswordChangeVersion(t, user.AppliedMustChange, user.AppliedPasswordTime ?? t) : null,
                InScope = user.InScope,
                DisablePasswordExpirationApplied = user.DisablePasswordExpirationApplied,
                ManagedDomainPending = user.ManagedDomainPending,
            }))
            {
                throw new SyncStateCorruptedException(path, "a user entry has no anchor or repeats one", null);
            }
        }

        foreach (SyncRetryEntryDocument retry in document.RetryQueue ?? [])
        {
            if (string.IsNullOrEmpty(retry?.Anchor) || retry.Attempts <= 0
                || !state.RetryQueue.TryAdd(retry.Anchor, new SyncRetryEntry(retry.Anchor, new PasswordChangeVersion(retry.ChangeTime, retry.MustChange, retry.PasswordTime), retry.Attempts, retry.NextAttempt)))
            {
                throw new SyncStateCorruptedException(path, "a retry entry has no anchor, repeats one or has no failed attempt", null);
            }
        }

        return state;
    }
}
