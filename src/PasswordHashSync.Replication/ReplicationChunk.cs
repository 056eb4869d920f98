using PasswordHashSync.Replication.Drsr;

namespace PasswordHashSync.Replication;

/// <summary>
/// One reply of a replication cycle (one IDL_DRSGetNCChanges call): the accounts it carried and the cookie that
/// resumes after it. Dispose it when its accounts are handed on: that zeroes their decrypted secrets.
/// </summary>
public sealed class ReplicationChunk : IDisposable
{
    private ReplicatedAccount[] _accounts;

    internal ReplicationChunk(ReplicatedAccount[] accounts, int objectCount, ReplicationCookie cookie, bool isLast, bool isFullReplication, Guid? previousInvocationId)
    {
        _accounts = accounts;
        ObjectCount = objectCount;
        Cookie = cookie;
        IsLast = isLast;
        IsFullReplication = isFullReplication;
        PreviousInvocationId = previousInvocationId;
    }

    /// <summary>The user and computer accounts in this reply (other objects, such as groups and containers, are left out).</summary>
    public IReadOnlyList<ReplicatedAccount> Accounts => _accounts;

    /// <summary>How many objects of any class the reply carried.</summary>
    public int ObjectCount { get; }

    /// <summary>
    /// The cookie after this chunk. Store it only once the accounts are handed on. Before the last chunk it resumes the
    /// same cycle (its cursors are those the cycle started from); after the last one it also holds the DC's new
    /// up-to-dateness vector.
    /// </summary>
    public ReplicationCookie Cookie { get; }

    /// <summary>Whether this is the cycle's last reply (the DC said there is no more data).</summary>
    public bool IsLast { get; }

    /// <summary>
    /// Whether the cycle sends every object: it started without a cookie, or the DC's invocation ID differs from the
    /// cookie's (the DC was restored from backup or is another DC), so the DC ignored the cookie and starts over.
    /// </summary>
    public bool IsFullReplication { get; }

    /// <summary>The cookie's invocation ID when the DC's differs from it, otherwise <see langword="null"/>.</summary>
    public Guid? PreviousInvocationId { get; }

    /// <summary>
    /// Moves the accounts out of the chunk: the caller owns (and disposes) them, <see cref="Accounts"/> is empty
    /// afterwards and <see cref="Dispose"/> no longer zeroes them.
    /// </summary>
    /// <returns>The accounts.</returns>
    internal ReplicatedAccount[] TakeAccounts()
    {
        ReplicatedAccount[] accounts = _accounts;
        _accounts = [];
        return accounts;
    }

    /// <summary>Zeroes the decrypted secrets of every account the chunk still owns.</summary>
    public void Dispose()
    {
        foreach (ReplicatedAccount account in _accounts)
        {
            account.Dispose();
        }
    }
}
