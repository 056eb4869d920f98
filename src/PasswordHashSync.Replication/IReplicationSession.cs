using PasswordHashSync.Replication.Drsr;

namespace PasswordHashSync.Replication;

/// <summary>
/// What <see cref="DrsDirectoryChangeSource"/> needs of a connected <see cref="DrsReplicationClient"/>, so the source's
/// bookkeeping (watermarks, secret lifetimes) is tested without a DC.
/// </summary>
internal interface IReplicationSession : IAsyncDisposable
{
    /// <summary>The domain NC's distinguished name.</summary>
    string DomainNamingContext { get; }

    /// <summary>The replies of one cycle (see <see cref="DrsReplicationClient.ReplicateAsync"/>).</summary>
    IAsyncEnumerable<ReplicationChunk> ReplicateAsync(ReplicationCookie? from, CancellationToken cancellationToken);

    /// <summary>The cookie of the DC's present state.</summary>
    ValueTask<ReplicationCookie> GetCurrentCookieAsync(CancellationToken cancellationToken);

    /// <summary>One object by objectGUID, or <see langword="null"/>.</summary>
    ValueTask<ReplicatedAccount?> ReplicateObjectAsync(Guid objectGuid, CancellationToken cancellationToken);
}
