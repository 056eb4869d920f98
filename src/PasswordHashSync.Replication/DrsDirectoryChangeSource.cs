using System.Globalization;
using System.Runtime.CompilerServices;
using PasswordHashSync.Directory;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Rpc;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Replication;

/// <summary>
/// The sync engine's directory source on a live domain controller: <see cref="PasswordSyncRunner"/> cycles read the
/// changes since the watermark (a <see cref="ReplicationCookie"/> in its text form) over MS-DRSR, full syncs stream the
/// whole domain chunk by chunk, and retries replicate one user by objectGUID.
/// </summary>
/// <remarks>
/// <para>The watermark a cycle returns covers exactly the changes it returns, and the runner stores it only after
/// handing them on; a cycle that fails (DC unreachable, reset, timeout) returns nothing, so the next cycle asks again
/// from the old watermark: nothing is lost or applied out of order.</para>
/// <para>A watermark the source cannot use (unreadable, another naming context, or a DC whose invocation ID changed:
/// restored from backup or replaced) makes the runner run a full sync, reported with the reason
/// (<see cref="DirectoryChangeSet.FullSyncReason"/>).</para>
/// <para>An incremental change set holds each changed user in full (the client fetches every changed user again by
/// objectGUID, since the DC sends only the changed attributes), at most once per DC reply and in the DC's order.
/// Changes to attributes the planner does not read (lastLogonTimestamp, description) bring no user. Deleted users do
/// not appear in it: a tombstone carries no password to export, and removing the cloud account is the provisioning
/// engine's job, not password hash sync's.</para>
/// <para>A refused password is not retried until a back-off (one cycle interval at first, doubling up to an hour) has
/// passed, so a wrong password cannot lock the account out; the runner's cycles fail with the same error meanwhile.</para>
/// <para>One connection is kept between calls and dropped after any failure. Not thread-safe: one runner at a time.</para>
/// </remarks>
public sealed class DrsDirectoryChangeSource : IDirectoryChangeSource, IAsyncDisposable
{
    private static readonly TimeSpan s_firstAuthenticationBackoff = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_maxAuthenticationBackoff = TimeSpan.FromHours(1);

    private readonly DrsReplicationOptions _options;
    private readonly ReplicationCredential _credential;
    private readonly TimeProvider _time;
    private DrsReplicationClient? _client;
    private RpcAuthenticationException? _refused;
    private DateTimeOffset _refusedUntil;
    private TimeSpan _nextBackoff = s_firstAuthenticationBackoff;

    /// <summary>Creates the source; nothing connects until the first call.</summary>
    /// <param name="options">The DC and domain.</param>
    /// <param name="credential">The replication account; the source does not dispose it.</param>
    /// <param name="timeProvider">The clock for the authentication back-off, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public DrsDirectoryChangeSource(DrsReplicationOptions options, ReplicationCredential credential, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        options.Validate();
        _options = options;
        _credential = credential;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    /// <exception cref="ReplicationException">The DC could not be reached, refused the credentials or the rights, or misbehaved.</exception>
    public async ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken)
    {
        if (watermark is null)
        {
            return DirectoryChangeSet.RequireFullSync("There is no replication watermark yet.");
        }

        if (!ReplicationCookie.TryParse(watermark, out ReplicationCookie? cookie))
        {
            return DirectoryChangeSet.RequireFullSync("The stored replication watermark is not a cookie this version reads; replicating everything again.");
        }

        DrsReplicationClient client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(cookie.NamingContext, client.DomainNamingContext, StringComparison.OrdinalIgnoreCase))
        {
            return DirectoryChangeSet.RequireFullSync(string.Create(CultureInfo.InvariantCulture,
                $"The stored watermark belongs to {cookie.NamingContext}, the DC replicates {client.DomainNamingContext}; replicating everything again."));
        }

        var users = new List<DirectoryUser>();
        ReplicationCookie? last = null;
        await foreach (ReplicationChunk chunk in RunAsync(client, cookie, cancellationToken).ConfigureAwait(false))
        {
            using (chunk)
            {
                if (chunk.IsFullReplication)
                {
                    // Leaving the loop ends the DC's resend; the runner streams the full sync instead of this list.
                    return DirectoryChangeSet.RequireFullSync(string.Create(CultureInfo.InvariantCulture,
                        $"The domain controller's invocation ID changed from {chunk.PreviousInvocationId} to {chunk.Cookie.InvocationId} (restored from backup or replaced); the watermark no longer applies."));
                }

                users.AddRange(chunk.Accounts.Select(ReplicatedAccountReader.Detach));
                last = chunk.Cookie;
            }
        }

        return new DirectoryChangeSet(users, last!.ToString());
    }

    /// <inheritdoc />
    /// <exception cref="ReplicationException">The DC could not be reached, refused the credentials or the rights, or misbehaved.</exception>
    public async ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken)
    {
        DrsReplicationClient client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return (await GuardAsync(() => client.GetCurrentCookieAsync(cancellationToken)).ConfigureAwait(false)).ToString();
    }

    /// <inheritdoc />
    /// <exception cref="ReplicationException">The DC could not be reached, refused the credentials or the rights, or misbehaved.</exception>
    public async ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceAnchor);
        if (!TryParseAnchor(sourceAnchor, out Guid objectGuid))
        {
            return null; // Not an objectGUID anchor: not an object of this directory.
        }

        DrsReplicationClient client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using ReplicatedAccount? account = await GuardAsync(() => client.ReplicateObjectAsync(objectGuid, cancellationToken)).ConfigureAwait(false);
        return account is null ? null : ReplicatedAccountReader.Detach(account);
    }

    /// <inheritdoc />
    /// <exception cref="ReplicationException">The DC could not be reached, refused the credentials or the rights, or misbehaved.</exception>
    public async IAsyncEnumerable<DirectoryUser> GetAllUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DrsReplicationClient client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await foreach (ReplicationChunk chunk in RunAsync(client, null, cancellationToken).ConfigureAwait(false))
        {
            // Mapped before yielding, so the chunk's secrets are zeroed as soon as the users are built; one chunk at a time.
            DirectoryUser[] users;
            using (chunk)
            {
                users = [.. chunk.Accounts.Select(ReplicatedAccountReader.Detach)];
            }

            foreach (DirectoryUser user in users)
            {
                yield return user;
            }
        }
    }

    /// <summary>Closes the connection, if any.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync() => await DropAsync().ConfigureAwait(false);

    private static bool TryParseAnchor(string sourceAnchor, out Guid objectGuid)
    {
        // SyncPlanner.GetSourceAnchor: base64 of the objectGUID's 16 bytes.
        Span<byte> bytes = stackalloc byte[16];
        bool ok = Convert.TryFromBase64String(sourceAnchor, bytes, out int written) && written == 16;
        objectGuid = ok ? new Guid(bytes) : Guid.Empty;
        return ok;
    }

    private async IAsyncEnumerable<ReplicationChunk> RunAsync(DrsReplicationClient client, ReplicationCookie? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerator<ReplicationChunk> chunks = client.ReplicateAsync(from, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await chunks.MoveNextAsync().ConfigureAwait(false);
                }
                catch
                {
                    await DropAsync().ConfigureAwait(false);
                    throw;
                }

                if (!more)
                {
                    yield break;
                }

                yield return chunks.Current;
            }
        }
        finally
        {
            await chunks.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<T> GuardAsync<T>(Func<ValueTask<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch
        {
            await DropAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask<DrsReplicationClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client is not null)
        {
            return _client;
        }

        if (_refused is not null && _time.GetUtcNow() < _refusedUntil)
        {
            throw new RpcAuthenticationException(
                string.Create(CultureInfo.InvariantCulture, $"{_refused.Message} Not retried before {_refusedUntil:u}, so the account is not locked out."),
                _refused);
        }

        try
        {
            _client = await DrsReplicationClient.ConnectAsync(_options, _credential, cancellationToken).ConfigureAwait(false);
            _refused = null;
            _nextBackoff = s_firstAuthenticationBackoff;
            return _client;
        }
        catch (RpcAuthenticationException refused)
        {
            _refused = refused;
            _refusedUntil = _time.GetUtcNow() + _nextBackoff;
            _nextBackoff = TimeSpan.FromTicks(Math.Min(_nextBackoff.Ticks * 2, s_maxAuthenticationBackoff.Ticks));
            throw;
        }
    }

    private async ValueTask DropAsync()
    {
        DrsReplicationClient? client = _client;
        _client = null;
        if (client is not null)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }
}
