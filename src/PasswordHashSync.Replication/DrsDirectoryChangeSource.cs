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
/// <para>A watermark the source cannot use (unreadable, another naming context, a DC whose invocation ID changed:
/// restored from backup or replaced, or a DC that refuses it: ERROR_INVALID_PARAMETER, ERROR_DS_DRA_INVALID_PARAMETER
/// or ERROR_DS_DIFFERENT_REPL_EPOCHS in answer to the cycle's first request) makes the runner run a full sync,
/// reported with the reason (<see cref="DirectoryChangeSet.FullSyncReason"/>).</para>
/// <para>An incremental change set holds each changed user in full (the client fetches every changed user again by
/// objectGUID, since the DC sends only the changed attributes), at most once per DC reply and in the DC's order.
/// Changes to attributes the planner does not read (lastLogonTimestamp, description) bring no user. Deleted users do
/// not appear in it: a tombstone carries no password to export, and removing the cloud account is the provisioning
/// engine's job, not password hash sync's.</para>
/// <para>A refused password is not retried until a back-off (one cycle interval at first, doubling up to an hour) has
/// passed, so a wrong password cannot lock the account out; the runner's cycles fail with the same error meanwhile.</para>
/// <para>Secret lifetime: a user this source returns shares the decrypted NT hash and supplementalCredentials of its
/// <see cref="ReplicatedAccount"/> (no copy is made). They stay valid until the consumer hands the user back through
/// <see cref="ReleaseUsers"/> (as <see cref="PasswordSyncRunner"/> does after each batch and each cycle), which zeroes
/// them; users never released are zeroed by <see cref="DisposeAsync"/>. The accounts of a reply that a full sync did
/// not hand out before its consumer stopped (break, failure, cancellation) are zeroed when the enumeration ends, and
/// a change set that fails or turns into a full sync zeroes what it had collected. So the source holds the users
/// handed out and not yet released (for the runner: at most one batch), never the domain; a consumer that does not
/// release keeps its users (and their secrets) alive until it disposes the source.</para>
/// <para>One connection is kept between calls and dropped after any failure. Not thread-safe: one runner at a time
/// (<see cref="ReleaseUsers"/> may be called from another thread).</para>
/// </remarks>
public sealed class DrsDirectoryChangeSource : IDirectoryChangeSource, IAsyncDisposable
{
    private static readonly TimeSpan s_firstAuthenticationBackoff = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_maxAuthenticationBackoff = TimeSpan.FromHours(1);

    private readonly Func<CancellationToken, ValueTask<IReplicationSession>> _connect;
    private readonly TimeProvider _time;
    private readonly Dictionary<DirectoryUser, ReplicatedAccount> _handedOut = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _handedOutLock = new();
    private IReplicationSession? _client;
    private RpcAuthenticationException? _refused;
    private DateTimeOffset _refusedUntil;
    private TimeSpan _nextBackoff = s_firstAuthenticationBackoff;

    /// <summary>Creates the source; nothing connects until the first call.</summary>
    /// <param name="options">The DC and domain.</param>
    /// <param name="credential">The replication account; the source does not dispose it.</param>
    /// <param name="timeProvider">The clock for the authentication back-off, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public DrsDirectoryChangeSource(DrsReplicationOptions options, ReplicationCredential credential, TimeProvider? timeProvider = null)
        : this(ConnectTo(options, credential), timeProvider)
    {
    }

    /// <summary>Creates the source over any session factory (the tests' fake DC).</summary>
    /// <param name="connect">Opens a session; called at the first call and after a failure dropped the last one.</param>
    /// <param name="timeProvider">The clock for the authentication back-off, or <see langword="null"/>.</param>
    internal DrsDirectoryChangeSource(Func<CancellationToken, ValueTask<IReplicationSession>> connect, TimeProvider? timeProvider)
    {
        _connect = connect;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How many users were handed out and are not yet released (their secrets still readable).</summary>
    internal int OutstandingUsers
    {
        get
        {
            lock (_handedOutLock)
            {
                return _handedOut.Count;
            }
        }
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

        IReplicationSession client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(cookie.NamingContext, client.DomainNamingContext, StringComparison.OrdinalIgnoreCase))
        {
            return DirectoryChangeSet.RequireFullSync(string.Create(CultureInfo.InvariantCulture,
                $"The stored watermark belongs to {cookie.NamingContext}, the DC replicates {client.DomainNamingContext}; replicating everything again."));
        }

        // The cycle's accounts are collected from every reply and handed out only once the cycle completed; until then
        // (a failure, a full sync instead) this method owns them and zeroes them.
        var accounts = new List<ReplicatedAccount>();
        bool handedOut = false;
        try
        {
            ReplicationCookie? last = null;
            IAsyncEnumerator<ReplicationChunk> replies = RunAsync(client, cookie, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (await replies.MoveNextAsync().ConfigureAwait(false))
                {
                    using (ReplicationChunk chunk = replies.Current)
                    {
                        if (chunk.IsFullReplication)
                        {
                            // Leaving the loop ends the DC's resend; the runner streams the full sync instead of this list.
                            return DirectoryChangeSet.RequireFullSync(string.Create(CultureInfo.InvariantCulture,
                                $"The domain controller's invocation ID changed from {chunk.PreviousInvocationId} to {chunk.Cookie.InvocationId} (restored from backup or replaced); the watermark no longer applies."));
                        }

                        accounts.AddRange(chunk.TakeAccounts());
                        last = chunk.Cookie;
                    }
                }
            }
            catch (DrsErrorException refused) when (last is null && DrsErrors.RefusesWatermark(refused.Win32Error))
            {
                // The DC answered the first request of the cycle, the one that carries the stored watermark, with a
                // refusal of its parameters: asking again from the same watermark would fail every cycle.
                return DirectoryChangeSet.RequireFullSync(string.Create(CultureInfo.InvariantCulture,
                    $"The domain controller refused the stored replication watermark ({refused.ErrorName}, {refused.Win32Error}); replicating everything again."));
            }
            finally
            {
                await replies.DisposeAsync().ConfigureAwait(false);
            }

            var users = new List<DirectoryUser>(accounts.Count);
            foreach (ReplicatedAccount account in accounts)
            {
                users.Add(HandOut(account));
            }

            handedOut = true;
            return new DirectoryChangeSet(users, last!.ToString());
        }
        finally
        {
            if (!handedOut)
            {
                accounts.ForEach(a => a.Dispose());
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ReplicationException">The DC could not be reached, refused the credentials or the rights, or misbehaved.</exception>
    public async ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken)
    {
        IReplicationSession client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
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

        IReplicationSession client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        ReplicatedAccount? account = await GuardAsync(() => client.ReplicateObjectAsync(objectGuid, cancellationToken)).ConfigureAwait(false);
        return account is null ? null : HandOut(account);
    }

    /// <inheritdoc />
    /// <exception cref="ReplicationException">The DC could not be reached, refused the credentials or the rights, or misbehaved.</exception>
    public async IAsyncEnumerable<DirectoryUser> GetAllUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IReplicationSession client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await foreach (ReplicationChunk chunk in RunAsync(client, null, cancellationToken).ConfigureAwait(false))
        {
            // One reply at a time: its accounts leave the chunk, each is handed out as it is yielded (and zeroed when
            // the consumer releases it); those not yet yielded when the consumer stops are zeroed here.
            ReplicatedAccount[] accounts;
            using (chunk)
            {
                accounts = chunk.TakeAccounts();
            }

            int yielded = 0;
            try
            {
                while (yielded < accounts.Length)
                {
                    DirectoryUser user = HandOut(accounts[yielded]);
                    yielded++;
                    yield return user;
                }
            }
            finally
            {
                for (int i = yielded; i < accounts.Length; i++)
                {
                    accounts[i].Dispose();
                }
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Zeroes the NT hash, history and supplementalCredentials of each user this source handed out; other users are ignored.</remarks>
    public void ReleaseUsers(IReadOnlyList<DirectoryUser> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        lock (_handedOutLock)
        {
            foreach (DirectoryUser user in users)
            {
                if (user is not null && _handedOut.Remove(user, out ReplicatedAccount? account))
                {
                    account.Dispose();
                }
            }
        }
    }

    /// <summary>Zeroes the secrets of every user handed out and not released, and closes the connection, if any.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_handedOutLock)
        {
            foreach (ReplicatedAccount account in _handedOut.Values)
            {
                account.Dispose();
            }

            _handedOut.Clear();
        }

        await DropAsync().ConfigureAwait(false);
    }

    private static Func<CancellationToken, ValueTask<IReplicationSession>> ConnectTo(DrsReplicationOptions options, ReplicationCredential credential)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        options.Validate();
        return async cancellationToken => await DrsReplicationClient.ConnectAsync(options, credential, cancellationToken).ConfigureAwait(false);
    }

    // The user shares the account's secret buffers; the account is zeroed when the user is released.
    private DirectoryUser HandOut(ReplicatedAccount account)
    {
        lock (_handedOutLock)
        {
            _handedOut[account.User] = account;
        }

        return account.User;
    }

    private static bool TryParseAnchor(string sourceAnchor, out Guid objectGuid)
    {
        // SyncPlanner.GetSourceAnchor: base64 of the objectGUID's 16 bytes.
        Span<byte> bytes = stackalloc byte[16];
        bool ok = Convert.TryFromBase64String(sourceAnchor, bytes, out int written) && written == 16;
        objectGuid = ok ? new Guid(bytes) : Guid.Empty;
        return ok;
    }

    private async IAsyncEnumerable<ReplicationChunk> RunAsync(IReplicationSession client, ReplicationCookie? from, [EnumeratorCancellation] CancellationToken cancellationToken)
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

    private async ValueTask<IReplicationSession> ConnectAsync(CancellationToken cancellationToken)
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
            _client = await _connect(cancellationToken).ConfigureAwait(false);
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
        IReplicationSession? client = _client;
        _client = null;
        if (client is not null)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }
}
