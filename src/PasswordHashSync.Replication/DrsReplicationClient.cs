using System.Runtime.CompilerServices;
using PasswordHashSync.Replication.Drsr;

namespace PasswordHashSync.Replication;

/// <summary>
/// Replicates user and computer accounts with their secrets (NT hash, NT hash history, supplementalCredentials) from a
/// domain controller over MS-DRSR, the way a password hash sync agent does: DCE/RPC over TCP at packet privacy,
/// IDL_DRSBind, IDL_DRSGetNCChanges in chunks, incrementally from a <see cref="ReplicationCookie"/>.
/// </summary>
/// <remarks>
/// <para>The account needs "Replicating Directory Changes" and "Replicating Directory Changes All" on the domain
/// (<see cref="ReplicationAccessDeniedException"/> names the missing one). Connectivity failures throw
/// <see cref="ReplicationConnectivityException"/>, refused credentials <see cref="Rpc.RpcAuthenticationException"/>.
/// After any failure the client is unusable: dispose it and connect again.</para>
/// <para>One call at a time; <see cref="ReplicateAsync"/> holds one reply in memory at a time, whatever the domain size.</para>
/// </remarks>
public sealed class DrsReplicationClient : IAsyncDisposable, IReplicationSession
{
    // A usnvecFrom above any real USN: the DC sends no object, only its up-to-dateness vector, whose own cursor is its
    // highest committed USN [measured, Samba 4.17.12]. That is the "current watermark" taken before a full sync.
    private const long BeyondAnyUsn = 1L << 62;

    // ERROR_DS_DRA_BAD_DN: the object of a single-object request does not exist (reference-drsr.md §8).
    private const int BadDnError = 8439;

    private readonly DrsConnection _connection;
    private readonly DrsReplicationOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    private DrsReplicationClient(DrsConnection connection, DrsReplicationOptions options)
    {
        _connection = connection;
        _options = options;
    }

    /// <summary>The domain naming context replicated, as the DC spells it (for example <c>DC=contoso,DC=com</c>).</summary>
    public string DomainNamingContext => _connection.NamingContext.DistinguishedName;

    /// <summary>The DC's NTDS Settings object GUID (IDL_DRSDomainControllerInfo), or <see cref="Guid.Empty"/> until known.</summary>
    public Guid DomainControllerDsaGuid => _connection.DsaGuid;

    /// <summary>Connects to the DC named in <paramref name="options"/>, signs in and binds.</summary>
    /// <param name="options">The DC, domain, timeouts and chunk size.</param>
    /// <param name="credential">The account that holds the replication rights; the client does not dispose it.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connected client.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="ReplicationConnectivityException">The DC cannot be reached.</exception>
    /// <exception cref="Rpc.RpcAuthenticationException">The DC refused the credentials.</exception>
    /// <exception cref="ReplicationException">The DC does not hold the domain, or another protocol failure.</exception>
    public static async ValueTask<DrsReplicationClient> ConnectAsync(DrsReplicationOptions options, ReplicationCredential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        options.Validate();
        DrsConnection connection;
        try
        {
            connection = await DrsConnection.OpenAsync(options, credential, cancellationToken).ConfigureAwait(false);
        }
        catch (Rpc.RpcAuthenticationException e)
        {
            // The RPC layer does not know whose credentials it sent; an administrator needs the account, and who refused
            // (the DC, the KDC, an unreachable KDC), to fix it. Names only, never a secret.
            throw ReplicationErrors.SignIn(e, options.DomainController, credential);
        }

        return new DrsReplicationClient(connection, options);
    }

    /// <summary>
    /// Replicates the domain's accounts changed since <paramref name="from"/> (all of them when it is
    /// <see langword="null"/>), one chunk per DC reply. Store <see cref="ReplicationChunk.Cookie"/> of a chunk only after
    /// its accounts are handed on; the last chunk's cookie starts the next cycle.
    /// </summary>
    /// <remarks>
    /// From a cookie the DC sends only the changed attributes of each object; every changed object that carries an
    /// attribute the sync planner reads is therefore replicated again in full by objectGUID (EXOP_REPL_OBJ) before its
    /// chunk is yielded, so every account of a chunk is complete (identity, flags and secrets as the DC holds them now),
    /// in the DC's order. Objects that are not users (groups, contacts, containers) are dropped after that re-fetch;
    /// deleted objects (tombstones) are left out: they have no secrets, and password hash sync exports passwords, not
    /// deletions (<see cref="ReplicationChunk.ObjectCount"/> still counts them).
    /// </remarks>
    /// <param name="from">Where the last cycle stopped, or <see langword="null"/> for everything.</param>
    /// <param name="cancellationToken">Cancels the replication (the client is unusable afterwards).</param>
    /// <returns>The chunks, in the order the DC sends them.</returns>
    /// <exception cref="ArgumentException"><paramref name="from"/> belongs to another naming context.</exception>
    /// <exception cref="ReplicationAccessDeniedException">The account lacks a replication right.</exception>
    public async IAsyncEnumerable<ReplicationChunk> ReplicateAsync(ReplicationCookie? from = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (from is not null && !string.Equals(from.NamingContext, DomainNamingContext, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The cookie belongs to {from.NamingContext}, not to {DomainNamingContext}.", nameof(from));
        }

        ReplicationCursor[] startCursors = from is null ? [] : [.. from.Cursors];
        UsnVector position = from is null ? default : new UsnVector(from.HighObjectUpdate, from.ReservedUsn, from.HighPropertyUpdate);
        Guid invocationId = from?.InvocationId ?? Guid.Empty;
        IReadOnlyList<UpToDateCursor>? upToDate = startCursors.Length == 0 ? null : [.. startCursors.Select(c => new UpToDateCursor(c.InvocationId, c.HighestUsn, 0))];
        bool first = true;
        bool full = from is null;
        Guid? previousInvocationId = null;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                GetNCChangesRequest request = GetNCChangesRequests.ForDomain(
                    _connection.NamingContext, position, invocationId, upToDate, (uint)_options.MaxObjectsPerChunk, (uint)_options.MaxBytesPerChunk);
                ReplicationChunk chunk;
                UsnVector next;
                Guid source;
                using (GetNCChangesReply reply = await GetChangesAsync(request, secrets: true, cancellationToken).ConfigureAwait(false))
                {
                    if (first && from is not null && reply.SourceInvocationId != from.InvocationId)
                    {
                        // The DC ignores a high-water mark from another invocation and resends everything (Samba
                        // getncchanges.c; MS-DRSR 4.1.10.5): report it, so the caller treats the cycle as a full one.
                        full = true;
                        previousInvocationId = from.InvocationId;
                    }

                    first = false;

                    // A full cycle sends whole objects; an incremental one only the changed attributes of each, so its
                    // accounts are fetched again in full, in reply order, before the chunk (and its cookie) is handed on.
                    ReplicatedAccount[] accounts = full
                        ? ReadLiveAccounts(reply)
                        : await RefetchChangedAsync(reply, cancellationToken).ConfigureAwait(false);
                    IEnumerable<ReplicationCursor> cursors = reply.MoreData
                        ? startCursors
                        : (reply.UpToDateVector ?? []).Select(c => new ReplicationCursor(c.InvocationId, c.HighestUsn));
                    var cookie = new ReplicationCookie(DomainNamingContext, reply.SourceInvocationId, reply.UsnVectorTo.HighObjectUpdate, reply.UsnVectorTo.Reserved, reply.UsnVectorTo.HighPropertyUpdate, cursors);
                    chunk = new ReplicationChunk(accounts, reply.Objects.Count, cookie, !reply.MoreData, full, previousInvocationId);
                    next = reply.UsnVectorTo;
                    source = reply.SourceInvocationId;
                }

                yield return chunk;
                if (chunk.IsLast)
                {
                    yield break;
                }

                // The next call continues the cycle on the same DRS handle (MS-DRSR 4.1.10.4.1; Samba keeps the cycle per handle).
                position = next;
                invocationId = source;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The cookie of the DC's present state, without replicating any object: asks from beyond any USN, so the DC sends
    /// only its up-to-dateness vector, and takes the DC's own cursor as the high-water mark. Replicating from it returns
    /// only what changes afterwards.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The cookie.</returns>
    /// <exception cref="ReplicationException">The DC did not report its own cursor.</exception>
    public async ValueTask<ReplicationCookie> GetCurrentCookieAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GetNCChangesRequest request = GetNCChangesRequests.ForDomain(_connection.NamingContext, new UsnVector(BeyondAnyUsn, 0, BeyondAnyUsn), Guid.Empty, null, 1, (uint)_options.MaxBytesPerChunk);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using GetNCChangesReply reply = await GetChangesAsync(request, secrets: true, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<UpToDateCursor> vector = reply.UpToDateVector ?? [];
            UpToDateCursor own = vector.FirstOrDefault(c => c.InvocationId == reply.SourceInvocationId);
            if (own.InvocationId == Guid.Empty)
            {
                throw new DrsProtocolException("The DC's up-to-dateness vector has no cursor for its own invocation ID; its present state is unknown.");
            }

            return new ReplicationCookie(DomainNamingContext, reply.SourceInvocationId, own.HighestUsn, 0, own.HighestUsn, vector.Select(c => new ReplicationCursor(c.InvocationId, c.HighestUsn)));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Replicates one account by sAMAccountName with its secrets (IDL_DRSCrackNames, then EXOP_REPL_OBJ).</summary>
    /// <param name="samAccountName">The account, for example <c>alice</c> or <c>WS01$</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account (dispose it), or <see langword="null"/> when no account has that name.</returns>
    /// <exception cref="ReplicationAccessDeniedException">The account lacks a replication right.</exception>
    public async ValueTask<ReplicatedAccount?> ReplicateAccountAsync(string samAccountName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(samAccountName);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string domainName = DomainNetBiosName ??= await CrackDomainNetBiosNameAsync(cancellationToken).ConfigureAwait(false);
            CrackedName cracked = await _connection.CallAsync(drs => drs.CrackNameAsync(DsNameFormat.Nt4Account, DsNameFormat.Fqdn1779, domainName + "\\" + samAccountName, cancellationToken)).ConfigureAwait(false);
            if (cracked.Status == DsNameStatus.NotFound || string.IsNullOrEmpty(cracked.Name))
            {
                return null;
            }

            return await ReplicateObjectCoreAsync(DsName.FromDistinguishedName(cracked.Name), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the session (IDL_DRSUnbind, then the connection).</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <inheritdoc />
    IAsyncEnumerable<ReplicationChunk> IReplicationSession.ReplicateAsync(ReplicationCookie? from, CancellationToken cancellationToken) =>
        ReplicateAsync(from, cancellationToken);

    /// <inheritdoc />
    ValueTask<ReplicationCookie> IReplicationSession.GetCurrentCookieAsync(CancellationToken cancellationToken) => GetCurrentCookieAsync(cancellationToken);

    /// <inheritdoc />
    ValueTask<ReplicatedAccount?> IReplicationSession.ReplicateObjectAsync(Guid objectGuid, CancellationToken cancellationToken) =>
        ReplicateObjectAsync(objectGuid, cancellationToken);

    /// <summary>Replicates one object by objectGUID (a retry of one user), or <see langword="null"/> when it no longer exists.</summary>
    internal async ValueTask<ReplicatedAccount?> ReplicateObjectAsync(Guid objectGuid, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReplicateObjectCoreAsync(DsName.FromGuid(objectGuid), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? DomainNetBiosName { get; set; }

    private async ValueTask<string> CrackDomainNetBiosNameAsync(CancellationToken cancellationToken)
    {
        // FQDN_1779 of the NC to NT4 account format gives "NETBIOS\" (MS-DRSR 4.1.4.2.x).
        CrackedName cracked = await _connection.CallAsync(drs => drs.CrackNameAsync(DsNameFormat.Fqdn1779, DsNameFormat.Nt4Account, DomainNamingContext, cancellationToken)).ConfigureAwait(false);
        string name = cracked.Status == DsNameStatus.Ok && cracked.Name is string n ? n.TrimEnd('\\') : string.Empty;
        return name.Length > 0 ? name : throw new DrsProtocolException($"IDL_DRSCrackNames gave no NetBIOS name for {DomainNamingContext} ({cracked.Status}).");
    }

    // The user accounts of a reply without its tombstones (a deleted user keeps its class, name and SID).
    private ReplicatedAccount[] ReadLiveAccounts(GetNCChangesReply reply)
    {
        HashSet<Guid> deleted = IncrementalChangeSelector.DeletedObjects(reply);
        ReplicatedAccount[] accounts = ReplicatedAccountReader.Read(reply, _connection.SessionKey);
        if (deleted.Count == 0)
        {
            return accounts;
        }

        foreach (ReplicatedAccount account in accounts.Where(a => a.ObjectGuid is Guid g && deleted.Contains(g)))
        {
            account.Dispose();
        }

        return [.. accounts.Where(a => a.ObjectGuid is not Guid g || !deleted.Contains(g))];
    }

    // Samba keeps the cycle state of the DRS handle across extended operations (getncchanges.c, for Azure AD Connect,
    // which mixes EXOP_REPL_OBJ into its cycles), so the re-fetches run on the cycle's own handle.
    private async ValueTask<ReplicatedAccount[]> RefetchChangedAsync(GetNCChangesReply reply, CancellationToken cancellationToken)
    {
        IncrementalChangeSelector.Selection selection = IncrementalChangeSelector.Select(reply);
        var accounts = new List<ReplicatedAccount>(selection.ToFetch.Count);
        try
        {
            foreach (Guid objectGuid in selection.ToFetch)
            {
                // Null: deleted since the reply, or not a user (a group, a contact); the re-fetch reads its objectClass.
                if (await ReplicateObjectCoreAsync(DsName.FromGuid(objectGuid), cancellationToken).ConfigureAwait(false) is ReplicatedAccount account)
                {
                    accounts.Add(account);
                }
            }
        }
        catch
        {
            accounts.ForEach(a => a.Dispose());
            throw;
        }

        return [.. accounts];
    }

    private async ValueTask<ReplicatedAccount?> ReplicateObjectCoreAsync(DsName target, CancellationToken cancellationToken)
    {
        Guid destination = _connection.DsaGuid == Guid.Empty ? DrsBindCall.NtdsapiClientGuid : _connection.DsaGuid;
        GetNCChangesRequest request = GetNCChangesRequests.ForAccount(target, destination);
        try
        {
            using GetNCChangesReply reply = await GetChangesAsync(request, secrets: true, cancellationToken).ConfigureAwait(false);
            ReplicatedAccount[] accounts = ReadLiveAccounts(reply);
            for (int i = 1; i < accounts.Length; i++)
            {
                accounts[i].Dispose();
            }

            return accounts.Length == 0 ? null : accounts[0];
        }
        catch (DrsErrorException e) when (e.Win32Error == BadDnError)
        {
            return null; // ERROR_DS_DRA_BAD_DN: no such object (any more).
        }
    }

    private async ValueTask<GetNCChangesReply> GetChangesAsync(GetNCChangesRequest request, bool secrets, CancellationToken cancellationToken)
    {
        try
        {
            return await _connection.CallAsync(drs => drs.GetNCChangesAsync(request, cancellationToken)).ConfigureAwait(false);
        }
        catch (DrsErrorException e) when (e.IsAccessDenied && secrets)
        {
            throw ReplicationErrors.AccessDenied(await DiagnoseMissingRightsAsync(cancellationToken).ConfigureAwait(false), _connection.Credential, DomainNamingContext, e);
        }
    }

    // Samba and Windows answer ERROR_DS_DRA_ACCESS_DENIED for a missing Get-Changes and a missing Get-Changes-All alike.
    // A request without secrets (a partial attribute set of objectClass only) needs Get-Changes alone [measured, Samba
    // 4.17.12: the Get-Changes-only account gets 1 object, an ordinary user 8453 again], which tells the two apart.
    private async ValueTask<ReplicationRights> DiagnoseMissingRightsAsync(CancellationToken cancellationToken)
    {
        SchemaPrefixTable table = SchemaPrefixTable.ForRequest([ReplicationAttributes.ObjectClass]);
        uint objectClass = table.TryGetAttributeType(ReplicationAttributes.ObjectClass, out uint attributeType)
            ? attributeType
            : throw new InvalidOperationException("The request prefix table misses objectClass.");
        var probe = new GetNCChangesRequest
        {
            DestinationDsa = DrsBindCall.NtdsapiClientGuid,
            NamingContext = _connection.NamingContext,
            Flags = DrsOptions.InitialSync | DrsOptions.WritableReplica,
            MaxObjects = 1,
            MaxBytes = (uint)_options.MaxBytesPerChunk,
            PartialAttributeSet = [objectClass],
            PrefixTable = table,
        };
        try
        {
            using GetNCChangesReply reply = await _connection.CallAsync(drs => drs.GetNCChangesAsync(probe, cancellationToken)).ConfigureAwait(false);
            return ReplicationRights.GetChangesAll;
        }
        catch (DrsErrorException e) when (e.IsAccessDenied)
        {
            return ReplicationRights.GetChanges | ReplicationRights.GetChangesAll;
        }
    }
}
