using System.Net;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Kdc;
using PasswordHashSync.Replication.Ldap;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication.Kerberos;

/// <summary>
/// Signs the replication client in with Kerberos: a TGT from the KDC (AS exchange with PA-ENC-TIMESTAMP, AES keys;
/// RC4 only when enabled), then per connection a service ticket for <c>ldap/&lt;DC host&gt;</c> (falling back to
/// <c>host/&lt;DC host&gt;</c>) and a DCE-style Kerberos context at packet privacy. Keys come from a password (salted as
/// the KDC's PA-ETYPE-INFO2 says) or from an MIT keytab, so an agent runs unattended.
/// </summary>
/// <remarks>
/// The TGT is kept while it has more than five minutes left and fetched again after, so a long run survives ticket
/// expiry. Dispose the credential to zero the password or keys and the TGT session key.
/// </remarks>
public sealed class KerberosCredential : ReplicationCredential
{
    private static readonly TimeSpan s_renewMargin = TimeSpan.FromMinutes(5);

    private readonly KerberosClientKeys _keys;
    private readonly KdcEndpoint _kdc;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, string> _hostNames = new(StringComparer.OrdinalIgnoreCase);

    // Replaced TGTs, zeroed with the credential rather than at once: a TGS request on another connection may still use one.
    private readonly List<KerberosTicketGrant> _retired = [];
    private KerberosTicketGrant? _ticketGrantingTicket;

    private KerberosCredential(string userName, string realm, string kdc, KerberosClientKeys keys, bool allowRc4)
        : base(userName, realm)
    {
        _keys = keys;
        _kdc = KdcEndpoint.Parse(kdc);
        Kdc = kdc;
        AllowRc4 = allowRc4;
    }

    /// <summary>The KDC, as host[:port].</summary>
    public string Kdc { get; }

    /// <summary>
    /// Whether RC4-HMAC (etype 23) may be used when the KDC offers nothing stronger (off by default). Without it, an
    /// account or KDC that offers only RC4 is refused with a <see cref="KerberosException"/> of error code 14 whose message
    /// names the remedy, and a negotiate credential does not fall back to NTLM for it. With it, the client
    /// pre-authenticates with the RC4 key; the DC's service ticket must still have an AES session key, since DCE/RPC
    /// protection with RC4 (RFC 4757 wrap tokens) is not implemented (also error code 14).
    /// </summary>
    public bool AllowRc4 { get; }

    /// <summary>How long one KDC exchange may take (default 30 s).</summary>
    public TimeSpan KdcTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A credential that derives its keys from a password.</summary>
    /// <param name="userName">The account's sAMAccountName (the principal's single name component).</param>
    /// <param name="realm">The realm (the AD DNS domain; upper-cased).</param>
    /// <param name="password">The password; copied and zeroed on dispose.</param>
    /// <param name="kdc">The KDC as host[:port] (port 88 by default), usually a DC.</param>
    /// <param name="allowRc4">Allow RC4-HMAC; off by default because it is weak.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="ArgumentException">A name is empty or <paramref name="kdc"/> is malformed.</exception>
    public static KerberosCredential FromPassword(string userName, string realm, ReadOnlySpan<char> password, string kdc, bool allowRc4 = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realm);
        return new KerberosCredential(userName, realm.ToUpperInvariant(), kdc, new PasswordClientKeys(password), allowRc4);
    }

    /// <summary>A credential that takes its keys from an MIT keytab (format 0x0502), for unattended agents.</summary>
    /// <param name="keytabPath">The keytab file.</param>
    /// <param name="userName">The principal's name (its single component).</param>
    /// <param name="realm">The realm (upper-cased).</param>
    /// <param name="kdc">The KDC as host[:port].</param>
    /// <param name="allowRc4">Allow RC4-HMAC keys.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="InvalidDataException">The keytab is malformed.</exception>
    /// <exception cref="IOException">The keytab cannot be read.</exception>
    /// <exception cref="KerberosException">The keytab holds no key of the principal.</exception>
    public static KerberosCredential FromKeytab(string keytabPath, string userName, string realm, string kdc, bool allowRc4 = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keytabPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrWhiteSpace(realm);
        var keys = new KeytabClientKeys(KeytabReader.ReadFile(keytabPath), userName, realm);
        return new KerberosCredential(userName, realm.ToUpperInvariant(), kdc, keys, allowRc4);
    }

    /// <summary>The clock for timestamps, authenticators and the TGT's remaining lifetime (tests pass a shifted one).</summary>
    internal TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The lifetime asked for in AS and TGS requests (the KDC grants at most its policy, 10 hours on AD).</summary>
    internal TimeSpan RequestedTicketLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>
    /// The lifetime asked for in TGS requests, or <see langword="null"/> for <see cref="RequestedTicketLifetime"/>
    /// (tests ask for seconds, so that the DC's acceptor sees the service ticket expire).
    /// </summary>
    internal TimeSpan? RequestedServiceTicketLifetime { get; set; }

    /// <summary>How many times a bind the DC refused made this credential drop its TGT and sign in again.</summary>
    internal int RenewalsAfterRefusedBind { get; private set; }

    /// <summary>How many AS exchanges (sign-ins with the password or keytab) this credential has made.</summary>
    internal int AuthenticationCount { get; private set; }

    /// <summary>The LDAP port the DC's host name is read from when it was given as an address (389).</summary>
    internal int LdapPort { get; set; } = RootDseHostNameLookup.LdapPort;

    internal override async ValueTask<IRpcSecurityContext> CreateSecurityContextAsync(RpcSecurityTarget target, CancellationToken cancellationToken)
    {
        string hostName = await ResolveHostNameAsync(target.HostName, cancellationToken).ConfigureAwait(false);
        KerberosTicketGrant serviceTicket = await GetServiceTicketAsync(hostName, cancellationToken).ConfigureAwait(false);
        try
        {
            KerberosSecurityContext.RequireAesMessageProtection(serviceTicket);
        }
        catch (KerberosException)
        {
            serviceTicket.Dispose();
            throw;
        }

        return new KerberosSecurityContext(serviceTicket, AllowRc4, Clock);
    }

    /// <summary>
    /// The DC's DNS host name for its service principal: <paramref name="host"/> itself when it is a name; for an IP
    /// address, the <c>dnsHostName</c> of the DC's rootDSE (anonymous LDAP on 389), remembered per address.
    /// </summary>
    /// <exception cref="KerberosException">The address gives no host name (<see cref="KerberosException.IsKerberosUnavailable"/> is set).</exception>
    internal async Task<string> ResolveHostNameAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (!IPAddress.TryParse(host, out _))
        {
            return host;
        }

        lock (_hostNames)
        {
            if (_hostNames.TryGetValue(host, out string? known))
            {
                return known;
            }
        }

        string name;
        try
        {
            name = await RootDseHostNameLookup.GetDnsHostNameAsync(host, LdapPort, KdcTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or TimeoutException)
        {
            throw new KerberosException(
                $"Kerberos needs the domain controller's DNS host name for its service principal; the address {host} was given and its rootDSE (LDAP port {LdapPort}) gave none: {e.Message} Give --dc as the DC's DNS name.",
                e)
            { IsKerberosUnavailable = true };
        }

        lock (_hostNames)
        {
            _hostNames[host] = name;
        }

        return name;
    }

    /// <summary>
    /// A service ticket for <c>ldap/host</c>, or <c>host/host</c> when the KDC does not know the first. A TGT the KDC
    /// reports expired (KRB_AP_ERR_TKT_EXPIRED, when its clock runs ahead of ours) is dropped and the client signs in
    /// again once.
    /// </summary>
    internal async Task<KerberosTicketGrant> GetServiceTicketAsync(string hostName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostName);
        if (IPAddress.TryParse(hostName, out _))
        {
            throw new KerberosException($"Kerberos needs the domain controller's DNS host name for its service principal, not the address {hostName}.") { IsKerberosUnavailable = true };
        }

        KdcClient client = NewKdcClient();
        KerberosTicketGrant tgt = await GetTicketGrantingTicketAsync(client, cancellationToken).ConfigureAwait(false);
        try
        {
            return await GetServiceTicketAsync(client, tgt, hostName, cancellationToken).ConfigureAwait(false);
        }
        catch (KerberosException e) when (e.ErrorCode == KerberosErrorCode.ApErrTicketExpired)
        {
            await ForgetTicketGrantingTicketAsync(tgt, cancellationToken).ConfigureAwait(false);
            tgt = await GetTicketGrantingTicketAsync(client, cancellationToken).ConfigureAwait(false);
            return await GetServiceTicketAsync(client, tgt, hostName, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The DC refused the bind of a context of this credential. When its acceptor may have found the service ticket
    /// expired, the TGT is dropped so that the next context signs in again (true): a KRB-ERROR token with
    /// KRB_AP_ERR_TKT_EXPIRED (32, RFC 4120 7.5.9), or a refusal without any token, which is how Samba answers an
    /// expired ticket [measured, Samba 4.17.12: the DCE-style third leg fails with "credentials expired", auth3 gets no
    /// answer and the first request the fault nca_s_proto_error; past its skew allowance Heimdal fails the AP-REQ itself,
    /// again without an error token, and dcesrv answers bind_nak reason 0]. Any other Kerberos error (clock skew, a bad
    /// AP-REP) gets no second try.
    /// </summary>
    internal override async ValueTask<bool> RenewAfterRefusedBindAsync(ReplicationException refusal, CancellationToken cancellationToken)
    {
        bool mayBeExpired = refusal is KerberosException kerberos
            ? kerberos.ErrorCode == KerberosErrorCode.ApErrTicketExpired
            : refusal.IsBindRefusal;
        if (!mayBeExpired)
        {
            return false;
        }

        KerberosTicketGrant? current = _ticketGrantingTicket;
        if (current is not null)
        {
            await ForgetTicketGrantingTicketAsync(current, cancellationToken).ConfigureAwait(false);
        }

        RenewalsAfterRefusedBind++;
        return true;
    }

    /// <summary>The cached TGT, fetched again when it has less than five minutes left.</summary>
    internal async Task<KerberosTicketGrant> GetTicketGrantingTicketAsync(CancellationToken cancellationToken) =>
        await GetTicketGrantingTicketAsync(NewKdcClient(), cancellationToken).ConfigureAwait(false);

    private static async Task<KerberosTicketGrant> GetServiceTicketAsync(KdcClient client, KerberosTicketGrant tgt, string hostName, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetServiceTicketAsync(tgt, KerberosPrincipalName.Service("ldap", hostName), cancellationToken).ConfigureAwait(false);
        }
        catch (KerberosException e) when (e.ErrorCode == KerberosErrorCode.KdcErrServicePrincipalUnknown)
        {
            return await client.GetServiceTicketAsync(tgt, KerberosPrincipalName.Service("host", hostName), cancellationToken).ConfigureAwait(false);
        }
    }

    private KdcClient NewKdcClient() => new(_kdc, KdcTimeout, AllowRc4, Clock, RequestedTicketLifetime, RequestedServiceTicketLifetime);

    private async Task ForgetTicketGrantingTicketAsync(KerberosTicketGrant expired, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another connection may already have replaced it; only the expired one is dropped. It is not disposed here:
            // a concurrent TGS request may still hold it, and its session key is zeroed with the credential.
            if (ReferenceEquals(_ticketGrantingTicket, expired))
            {
                _retired.Add(expired);
                _ticketGrantingTicket = null;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<KerberosTicketGrant> GetTicketGrantingTicketAsync(KdcClient client, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (_ticketGrantingTicket is { } cached && cached.IsValidFor(s_renewMargin, Clock.GetUtcNow()))
            {
                return cached;
            }

            KerberosTicketGrant fresh = await client.GetTicketGrantingTicketAsync(UserName, Domain, _keys, cancellationToken).ConfigureAwait(false);
            AuthenticationCount++;
            if (_ticketGrantingTicket is not null)
            {
                _retired.Add(_ticketGrantingTicket);
            }

            _ticketGrantingTicket = fresh;
            return fresh;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !IsDisposed)
        {
            _keys.Dispose();
            _ticketGrantingTicket?.Dispose();
            _retired.ForEach(t => t.Dispose());
            _lock.Dispose();
        }

        base.Dispose(disposing);
    }
}
