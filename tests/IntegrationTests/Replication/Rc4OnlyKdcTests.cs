using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Kdc;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// A KDC that offers only RC4-HMAC (<see cref="SambaRc4OnlyKdc"/>): refused as weak-only unless RC4 is allowed, with
/// no NTLM fallback under negotiate; with RC4 allowed the AS and TGS exchanges succeed under RC4 (Samba's Heimdal
/// verifies our RC4 PA-ENC-TIMESTAMP, our hmac-md5 TGS-REQ checksum and authenticator), and the RC4 session key of the
/// service ticket is then refused clearly before the bind, since RC4 wrap tokens (RFC 4757) are not implemented.
/// </summary>
[Collection(SambaRc4OnlyKdcGroup.Name)]
public sealed class Rc4OnlyKdcTests(SambaRc4OnlyKdc dc)
{
    private DrsReplicationOptions Options => new()
    {
        DomainController = dc.Address.ToString(),
        DnsDomain = SambaRc4OnlyKdc.DnsDomain,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        CallTimeout = TimeSpan.FromSeconds(60),
    };

    private KerberosCredential Kerberos(bool allowRc4) =>
        KerberosCredential.FromPassword("Administrator", SambaRc4OnlyKdc.Realm, dc.AdministratorPassword, dc.Kdc, allowRc4);

    private NtlmCredential Ntlm() => new("Administrator", SambaRc4OnlyKdc.NetBiosDomain, dc.AdministratorPassword);

    [Fact]
    public async Task Without_allowRc4_an_RC4_only_KDC_is_refused_as_weak_only_and_negotiate_does_not_fall_back()
    {
        using (KerberosCredential kerberos = Kerberos(allowRc4: false))
        {
            KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => kerberos.GetTicketGrantingTicketAsync(default));
            Assert.Equal(14, e.ErrorCode);
            Assert.Equal(KerberosFailure.WeakEncryptionOnly, e.Failure);
            Assert.False(e.IsKerberosUnavailable);
        }

        using var negotiate = new NegotiateCredential(Kerberos(allowRc4: false), Ntlm());
        RpcAuthenticationException refused = await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await DrsReplicationClient.ConnectAsync(Options, negotiate));
        Assert.Null(negotiate.LastMechanism);
        Assert.StartsWith($"Cannot sign in with Kerberos as Administrator@{SambaRc4OnlyKdc.Realm}: the KDC {dc.Kdc} offers only weak encryption", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(dc.AdministratorPassword, refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_allowRc4_the_tickets_come_under_RC4_and_the_RC4_session_key_is_refused_before_the_bind()
    {
        using KerberosCredential credential = Kerberos(allowRc4: true);
        KerberosTicketGrant tgt = await credential.GetTicketGrantingTicketAsync(default);
        Assert.Equal((int)KerberosEncryptionType.Rc4Hmac, tgt.SessionKey.EncryptionType);
        string host = await credential.ResolveHostNameAsync(dc.Address.ToString(), default);
        using (KerberosTicketGrant service = await credential.GetServiceTicketAsync(host, default))
        {
            // ldap/, not the host/ fallback: the fixture ran samba_spnupdate before the start (SambaDomainController).
            Assert.Equal("ldap/" + host + "@" + SambaRc4OnlyKdc.Realm, service.Ticket.ServerName + "@" + service.Ticket.Realm, ignoreCase: true);
            Assert.Equal((int)KerberosEncryptionType.Rc4Hmac, service.SessionKey.EncryptionType);
            KerberosException direct = Assert.Throws<KerberosException>(() => KerberosSecurityContext.RequireAesMessageProtection(service));
            Assert.Equal(14, direct.ErrorCode);
        }

        RpcAuthenticationException refused = await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await DrsReplicationClient.ConnectAsync(Options, credential));
        KerberosException inner = Assert.IsType<KerberosException>(refused.InnerException);
        Assert.Equal(14, inner.ErrorCode);
        Assert.False(inner.IsKerberosUnavailable);
        Assert.Equal(
            $"Cannot sign in with Kerberos as Administrator@{SambaRc4OnlyKdc.Realm}: the KDC issued the service ticket for ldap/{host}@{SambaRc4OnlyKdc.Realm} with an RC4-HMAC (etype 23) session key. " +
            "Signing and sealing DCE/RPC with an RC4 key (RFC 4757 wrap tokens) is not implemented, only AES (RFC 4121), so the sign-in was stopped before any PDU was protected. " +
            "Give the domain controller's account AES keys (msDS-SupportedEncryptionTypes; on Samba, a 'kdc supported enctypes' that includes AES), or sign in with NTLM.",
            refused.Message,
            ignoreCase: true);

        // Negotiate with RC4 allowed: the same refusal, not a silent NTLM sign-in.
        using var negotiate = new NegotiateCredential(Kerberos(allowRc4: true), Ntlm());
        await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await DrsReplicationClient.ConnectAsync(Options, negotiate));
        Assert.Null(negotiate.LastMechanism);
    }
}
