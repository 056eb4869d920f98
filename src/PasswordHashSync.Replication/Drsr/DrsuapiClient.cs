using System.Buffers.Binary;
using PasswordHashSync.Replication.Drsr.Ndr;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// The DRSUAPI calls of a replication client over one bound, authenticated RPC channel: IDL_DRSBind, IDL_DRSUnbind,
/// IDL_DRSCrackNames, IDL_DRSDomainControllerInfo and IDL_DRSGetNCChanges (MS-DRSR 4.1). Not thread-safe: one call
/// at a time, as the DRS handle and Samba's per-handle replication cycle state require.
/// </summary>
internal sealed class DrsuapiClient
{
    private readonly IRpcChannel _channel;

    /// <summary>Creates a client over a channel bound to the DRSUAPI interface.</summary>
    /// <param name="channel">The channel.</param>
    public DrsuapiClient(IRpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>The DRS handle of the current binding (empty before <see cref="BindAsync"/> and after <see cref="UnbindAsync"/>).</summary>
    public DrsHandle Handle { get; private set; }

    /// <summary>The server's DRS_EXTENSIONS_INT from the last bind, zero-padded to 52 bytes.</summary>
    public DrsExtensions ServerExtensions { get; private set; }

    /// <summary>
    /// Binds: IDL_DRSBind with NTDSAPI_CLIENT_GUID and <see cref="DrsExtensions.Client"/>; when the server reports a
    /// non-zero dwReplEpoch, unbinds and binds again sending that epoch (otherwise later calls fail with 8593).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server's extensions.</returns>
    /// <exception cref="DrsErrorException">The bind failed, or the server lacks STRONG_ENCRYPTION or GETCHGREQ_V8.</exception>
    /// <exception cref="DrsProtocolException">The reply is malformed.</exception>
    public async ValueTask<DrsExtensions> BindAsync(CancellationToken cancellationToken)
    {
        DrsExtensions server = await BindOnceAsync(0, cancellationToken).ConfigureAwait(false);
        if (server.ReplEpoch != 0)
        {
            await UnbindAsync(cancellationToken).ConfigureAwait(false);
            server = await BindOnceAsync(server.ReplEpoch, cancellationToken).ConfigureAwait(false);
        }

        if ((server.Flags & DrsExtensions.StrongEncryption) == 0 || (server.Flags & DrsExtensions.GetChgReqV8) == 0)
        {
            throw new DrsErrorException(
                $"The DC does not offer DRS_EXT_STRONG_ENCRYPTION and DRS_EXT_GETCHGREQ_V8 (dwFlags 0x{server.Flags:X8}); it cannot replicate secrets to this client.");
        }

        return server;
    }

    /// <summary>IDL_DRSDomainControllerInfo at InfoLevel 2: the DCs of a domain with their NTDS Settings GUIDs.</summary>
    /// <param name="domain">The DNS (or NetBIOS) domain name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The DCs.</returns>
    public async ValueTask<IReadOnlyList<DomainControllerInfo>> GetDomainControllerInfoAsync(string domain, CancellationToken cancellationToken)
    {
        using var writer = new NdrWriter();
        DomainControllerInfoCall.WriteRequest(writer, RequireHandle(), domain);
        using RpcResponseStub stub = await _channel.CallAsync(DomainControllerInfoCall.Opnum, writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        (DomainControllerInfo[] controllers, int result) = ParseOrError("IDL_DRSDomainControllerInfo", stub.Memory, DomainControllerInfoCall.ReadResponse);
        ThrowIfError("IDL_DRSDomainControllerInfo", result);
        return controllers;
    }

    /// <summary>IDL_DRSCrackNames V1 for one name.</summary>
    /// <param name="formatOffered">The format of <paramref name="name"/>.</param>
    /// <param name="formatDesired">The format wanted.</param>
    /// <param name="name">The name, for example <c>CONTOSO\alice</c> or a DN.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result (check <see cref="CrackedName.Status"/>).</returns>
    public async ValueTask<CrackedName> CrackNameAsync(DsNameFormat formatOffered, DsNameFormat formatDesired, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var writer = new NdrWriter();
        CrackNamesCall.WriteRequest(writer, RequireHandle(), formatOffered, formatDesired, [name]);
        using RpcResponseStub stub = await _channel.CallAsync(CrackNamesCall.Opnum, writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        (CrackedName[] results, int result) = ParseOrError("IDL_DRSCrackNames", stub.Memory, CrackNamesCall.ReadResponse);
        ThrowIfError("IDL_DRSCrackNames", result);
        if (results.Length != 1)
        {
            throw new DrsProtocolException($"IDL_DRSCrackNames answered {results.Length} results for one name.");
        }

        return results[0];
    }

    /// <summary>The domain NC root of a DNS domain: CrackNames of <c>dns.domain/</c> (canonical) to a DN.</summary>
    /// <param name="dnsDomain">The DNS domain, for example <c>contoso.com</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The NC root's DSNAME (by DN).</returns>
    /// <exception cref="DrsErrorException">The DC does not know the domain.</exception>
    public async ValueTask<DsName> ResolveDomainNamingContextAsync(string dnsDomain, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dnsDomain);
        CrackedName cracked = await CrackNameAsync(DsNameFormat.Canonical, DsNameFormat.Fqdn1779, dnsDomain.TrimEnd('/') + "/", cancellationToken).ConfigureAwait(false);
        if (cracked.Status != DsNameStatus.Ok || string.IsNullOrEmpty(cracked.Name))
        {
            throw new DrsErrorException($"The DC could not resolve the domain '{dnsDomain}' to a naming context (DS_NAME_ERROR {cracked.Status}).");
        }

        return DsName.FromDistinguishedName(cracked.Name);
    }

    /// <summary>
    /// An account's DSNAME by objectGUID: CrackNames of <c>DOMAIN\sam</c> (NT4 account), a UPN (contains <c>@</c>) or a
    /// DN (contains <c>=</c>) to DS_UNIQUE_ID_NAME.
    /// </summary>
    /// <param name="accountName">The account name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The DSNAME (GUID only), for <see cref="GetNCChangesRequests.ForAccount"/>.</returns>
    /// <exception cref="DrsErrorException">The name does not resolve to exactly one object.</exception>
    public async ValueTask<DsName> ResolveAccountAsync(string accountName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        DsNameFormat offered = accountName.Contains('\\', StringComparison.Ordinal) ? DsNameFormat.Nt4Account
            : accountName.Contains('@', StringComparison.Ordinal) ? DsNameFormat.UserPrincipal
            : accountName.Contains('=', StringComparison.Ordinal) ? DsNameFormat.Fqdn1779
            : DsNameFormat.Unknown;
        CrackedName cracked = await CrackNameAsync(offered, DsNameFormat.Guid, accountName, cancellationToken).ConfigureAwait(false);
        if (cracked.Status != DsNameStatus.Ok || !Guid.TryParse(cracked.Name, out Guid guid))
        {
            throw new DrsErrorException($"The DC could not resolve the account '{accountName}' (DS_NAME_ERROR {cracked.Status}); give it as DOMAIN\\sAMAccountName, a UPN or a DN.");
        }

        return DsName.FromGuid(guid);
    }

    /// <summary>IDL_DRSGetNCChanges with a V8 request.</summary>
    /// <param name="request">The request (see <see cref="GetNCChangesRequests"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reply; dispose it once its objects are mapped.</returns>
    /// <exception cref="DrsErrorException">The DC returned a WERROR, or an extended operation did not succeed.</exception>
    /// <exception cref="DrsProtocolException">The reply is malformed, compressed or of an unsupported version.</exception>
    public async ValueTask<GetNCChangesReply> GetNCChangesAsync(GetNCChangesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RpcResponseStub stub;
        using (var writer = new NdrWriter(1024))
        {
            request.Write(writer, RequireHandle());
            stub = await _channel.CallAsync(GetNCChangesRequest.Opnum, writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        GetNCChangesReply reply;
        try
        {
            reply = ParseOrError("IDL_DRSGetNCChanges", stub.Memory, m => GetNCChangesReply.Parse(m, stub));
        }
        catch
        {
            stub.Dispose();
            throw;
        }

        // MS-DRSR 4.1.10.6.1 (ProcessGetNCChangesReply) takes the V6 reply's dwDRSError as its outcome: a reply whose
        // method result is 0 but whose dwDRSError is not is a failure, not an empty end of the cycle.
        if (reply.Result != 0 || reply.DrsError != 0 || (request.ExtendedOperation != ExtendedOperation.None && reply.ExtendedResult != DrsErrors.ExopSuccess))
        {
            int result = reply.Result != 0 ? reply.Result : reply.DrsError;
            uint extended = reply.ExtendedResult;
            reply.Dispose();
            throw new DrsErrorException("IDL_DRSGetNCChanges", result, extended);
        }

        return reply;
    }

    /// <summary>IDL_DRSUnbind; the handle is forgotten even when the call fails.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async ValueTask UnbindAsync(CancellationToken cancellationToken)
    {
        if (Handle.IsEmpty)
        {
            return;
        }

        DrsHandle handle = Handle;
        Handle = default;
        using var writer = new NdrWriter();
        DrsUnbindCall.WriteRequest(writer, handle);
        using RpcResponseStub stub = await _channel.CallAsync(DrsUnbindCall.Opnum, writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        (_, int result) = ParseOrError("IDL_DRSUnbind", stub.Memory, DrsUnbindCall.ReadResponse);
        ThrowIfError("IDL_DRSUnbind", result);
    }

    private async ValueTask<DrsExtensions> BindOnceAsync(uint replEpoch, CancellationToken cancellationToken)
    {
        using var writer = new NdrWriter();
        DrsBindCall.WriteRequest(writer, DrsBindCall.NtdsapiClientGuid, DrsExtensions.Client(replEpoch));
        using RpcResponseStub stub = await _channel.CallAsync(DrsBindCall.Opnum, writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        (DrsExtensions server, DrsHandle handle, int result) = ParseOrError("IDL_DRSBind", stub.Memory, DrsBindCall.ReadResponse);
        ThrowIfError("IDL_DRSBind", result);
        if (handle.IsEmpty)
        {
            throw new DrsProtocolException("IDL_DRSBind succeeded but returned an empty DRS handle.");
        }

        Handle = handle;
        ServerExtensions = server;
        return server;
    }

    private DrsHandle RequireHandle() =>
        Handle.IsEmpty ? throw new InvalidOperationException("Call BindAsync first: there is no DRS handle.") : Handle;

    private static void ThrowIfError(string operation, int result)
    {
        if (result != 0)
        {
            throw new DrsErrorException(operation, result);
        }
    }

    /// <summary>
    /// Parses a reply; when it does not parse but ends in a non-zero WERROR, reports that error instead (a DC that
    /// fails a call may send a skeleton reply whose union arm does not match the request: Samba's rgValues stub,
    /// reference-drsr.md §9).
    /// </summary>
    private static T ParseOrError<T>(string operation, ReadOnlyMemory<byte> stub, Func<ReadOnlyMemory<byte>, T> parse)
    {
        try
        {
            return parse(stub);
        }
        catch (DrsProtocolException malformed) when (stub.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(stub.Span[^4..]) != 0)
        {
            int result = BinaryPrimitives.ReadInt32LittleEndian(stub.Span[^4..]);
            throw new DrsErrorException(operation, result, malformed);
        }
    }
}
