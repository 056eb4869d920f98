using PasswordHashSync.Directory;

namespace PasswordHashSync.Sync;

/// <summary>
/// Where the runner reads users from: changes since a watermark, single users for retries, and everything for a full
/// sync. Implemented by the integrator (DRS replication, an LDIF export, a test double).
/// </summary>
/// <remarks>
/// Threads: <see cref="PasswordSyncRunner"/> calls one member at a time, but it enumerates
/// <see cref="GetAllUsersAsync"/> on a task of its own while the same cycle plans, calls the
/// <see cref="ISyncUserContextProvider"/> and exports earlier users (its stages overlap, with bounded queues between
/// them). A source that shares state with the exporter or the context provider (a test double that is all three, say)
/// must make that state thread-safe. <see cref="GetChangesAsync"/>, <see cref="GetCurrentWatermarkAsync"/> and
/// <see cref="GetUserAsync"/> are called before a cycle's exports start; <see cref="ReleaseUsers"/> may be called from
/// the export stage while <see cref="GetAllUsersAsync"/> is still being enumerated, so it must be thread-safe.
/// <para>Lifetime of the users a source returns: <see cref="PasswordSyncRunner"/> hands every user it got from
/// <see cref="GetChangesAsync"/>, <see cref="GetUserAsync"/> or <see cref="GetAllUsersAsync"/> back through
/// <see cref="ReleaseUsers"/> once it has processed them (after each batch of a full sync, after an incremental cycle,
/// and when a cycle fails or is cancelled with users not yet processed). A source whose users own secret buffers (the
/// DRS source's decrypted NT hashes and supplementalCredentials) zeroes them there, so a secret lives from the reply
/// it was decrypted from until its batch is planned and exported, not until the garbage collector reuses the memory.
/// Other consumers of a source should do the same.</para>
/// </remarks>
public interface IDirectoryChangeSource
{
    /// <summary>The users whose password or scope changed after <paramref name="watermark"/>, and the new watermark.</summary>
    /// <param name="watermark">The watermark of the last completed cycle, or <see langword="null"/> for "from the start".</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The changes; a user may appear several times (the newest change wins).</returns>
    ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken);

    /// <summary>The current watermark, taken before a full sync so no change made during it is missed.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The watermark.</returns>
    ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken);

    /// <summary>Reads one user's current state (for a retry), or <see langword="null"/> when it no longer exists.</summary>
    /// <param name="sourceAnchor">The source anchor.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken);

    /// <summary>Streams every user (for a full sync); the enumeration runs while earlier users are being exported.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The users.</returns>
    IAsyncEnumerable<DirectoryUser> GetAllUsersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The consumer is done with <paramref name="users"/> (returned by this source): the source may zero their secrets
    /// now, and the consumer must not read them again. Users this source did not return are ignored; the default does
    /// nothing (users that own no secret buffers, such as an LDIF export's, need no release).
    /// </summary>
    /// <param name="users">The users, in any order; a user released twice is ignored the second time.</param>
    void ReleaseUsers(IReadOnlyList<DirectoryUser> users)
    {
    }
}
