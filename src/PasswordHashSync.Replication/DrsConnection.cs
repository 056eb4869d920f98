using System.Globalization;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication;

/// <summary>
/// One connected, authenticated and DRSBind-bound DRSUAPI session, with what it found out about the DC: the domain
/// naming context (IDL_DRSCrackNames, canonical "domain/" to FQDN_1779) and the DC's NTDS DSA GUID
/// (IDL_DRSDomainControllerInfo level 2). Every failure leaves as a translated <see cref="ReplicationException"/>.
/// </summary>
internal sealed class DrsConnection : IAsyncDisposable
{
    private readonly RpcConnection _rpc;

    private DrsConnection(RpcConnection rpc, DrsuapiClient drs, string endpoint, ReplicationCredential credential)
    {
        _rpc = rpc;
        Drs = drs;
        Endpoint = endpoint;
        Credential = credential;
    }

    /// <summary>The bound DRSUAPI client.</summary>
    public DrsuapiClient Drs { get; }

    /// <summary>"host:port", for messages.</summary>
    public string Endpoint { get; }

    /// <summary>Who signed in.</summary>
    public ReplicationCredential Credential { get; }

    /// <summary>The session key secrets are encrypted with.</summary>
    public ReadOnlySpan<byte> SessionKey => _rpc.SessionKey;

    /// <summary>The domain naming context as the DC spells it.</summary>
    public DsName NamingContext { get; private set; } = DsName.FromDistinguishedName("DC=invalid");

    /// <summary>The DC's NTDS Settings object GUID (the destination of single-object requests).</summary>
    public Guid DsaGuid { get; private set; }

    /// <summary>
    /// Resolves the port, connects, authenticates, binds and reads the NC and the DSA GUID. When the DC refuses the
    /// authentication in a way fresh tickets may cure (its Kerberos acceptor found the service ticket expired: it ran out
    /// between the TGS exchange and the bind, or the DC's clock is ahead of ours), the credential signs in again and the
    /// whole sequence runs once more, so a cycle does not fail, and an agent does not back off as for a wrong password,
    /// on an expiry the client could not see.
    /// </summary>
    /// <param name="options">The validated options.</param>
    /// <param name="credential">The credential.</param>
    /// <param name="cancellationToken">Cancels the whole sequence.</param>
    /// <returns>The session.</returns>
    public static async Task<DrsConnection> OpenAsync(DrsReplicationOptions options, ReplicationCredential credential, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenOnceAsync(options, credential, cancellationToken).ConfigureAwait(false);
        }
        catch (ReplicationException refused) when (refused.IsBindRefusal || refused is Kerberos.KerberosException)
        {
            if (!await credential.RenewAfterRefusedBindAsync(refused, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }

        return await OpenOnceAsync(options, credential, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<DrsConnection> OpenOnceAsync(DrsReplicationOptions options, ReplicationCredential credential, CancellationToken cancellationToken)
    {
        string host = options.DomainController;
        var rpcOptions = new RpcConnectionOptions { ConnectTimeout = options.ConnectTimeout, CallTimeout = options.CallTimeout };
        string endpoint = string.Create(CultureInfo.InvariantCulture, $"{host}:{options.Port?.ToString(CultureInfo.InvariantCulture) ?? "135 (endpoint mapper)"}");
        RpcConnection? rpc = null;
        try
        {
            int port = options.Port ?? await EndpointMapper.MapTcpPortAsync(host, RpcSyntaxId.Drsuapi, rpcOptions, cancellationToken).ConfigureAwait(false);
            endpoint = string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
            IRpcSecurityContext security = await credential.CreateSecurityContextAsync(new RpcSecurityTarget(host, options.DnsDomain), cancellationToken).ConfigureAwait(false);
            rpc = await RpcConnection.ConnectAsync(host, port, RpcSyntaxId.Drsuapi, security, rpcOptions, cancellationToken).ConfigureAwait(false);
            var connection = new DrsConnection(rpc, new DrsuapiClient(rpc), endpoint, credential);
            await connection.DiscoverAsync(options, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (ReplicationErrors.Translate(e, endpoint, credential) is Exception translated)
        {
            await DisposeQuietlyAsync(rpc).ConfigureAwait(false);
            throw translated;
        }
        catch
        {
            await DisposeQuietlyAsync(rpc).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs one DRSUAPI operation, translating its failures.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="operation">The call.</param>
    /// <returns>The result.</returns>
    public async ValueTask<T> CallAsync<T>(Func<DrsuapiClient, ValueTask<T>> operation)
    {
        try
        {
            return await operation(Drs).ConfigureAwait(false);
        }
        catch (Exception e) when (ReplicationErrors.Translate(e, Endpoint, Credential) is Exception translated)
        {
            throw translated;
        }
    }

    /// <summary>Unbinds (best effort: a broken connection cannot) and closes the connection.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var unbindTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Drs.UnbindAsync(unbindTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ReplicationException or InvalidOperationException or OperationCanceledException or TimeoutException or IOException)
        {
            // The DC drops the handle with the connection anyway.
        }

        await _rpc.DisposeAsync().ConfigureAwait(false);
    }

    private static async ValueTask DisposeQuietlyAsync(RpcConnection? rpc)
    {
        if (rpc is not null)
        {
            await rpc.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task DiscoverAsync(DrsReplicationOptions options, CancellationToken cancellationToken)
    {
        await Drs.BindAsync(cancellationToken).ConfigureAwait(false);

        // The NC as the DC spells it: canonical "dns.domain/" cracks to the domain's DN (MS-DRSR 4.1.4).
        string dnsDomain = options.DnsDomain.TrimEnd('.');
        CrackedName cracked = await Drs.CrackNameAsync(DsNameFormat.Canonical, DsNameFormat.Fqdn1779, dnsDomain + "/", cancellationToken).ConfigureAwait(false);
        if (cracked.Status != DsNameStatus.Ok || string.IsNullOrEmpty(cracked.Name))
        {
            throw new ReplicationException(string.Create(CultureInfo.InvariantCulture,
                $"The domain controller {Endpoint} does not hold the domain '{dnsDomain}' (IDL_DRSCrackNames answered {cracked.Status}). Check the DNS domain name."));
        }

        NamingContext = DsName.FromDistinguishedName(cracked.Name);
        IReadOnlyList<DomainControllerInfo> controllers = await Drs.GetDomainControllerInfoAsync(dnsDomain, cancellationToken).ConfigureAwait(false);
        DomainControllerInfo? self = controllers.Count == 1 ? controllers[0] : controllers.FirstOrDefault(c => Matches(c, options.DomainController));
        DsaGuid = self?.NtdsDsaObjectGuid ?? Guid.Empty;
    }

    private static bool Matches(DomainControllerInfo controller, string host) =>
        string.Equals(controller.DnsHostName, host, StringComparison.OrdinalIgnoreCase)
        || string.Equals(controller.NetBiosName, host, StringComparison.OrdinalIgnoreCase)
        || (controller.DnsHostName is string dns && string.Equals(dns.Split('.')[0], host.Split('.')[0], StringComparison.OrdinalIgnoreCase) && !System.Net.IPAddress.TryParse(host, out _));
}
