using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Kdc;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// Kerberos against a real Samba AD DC whose NTLM is disabled: the library's AS and TGS exchanges with Samba's KDC
/// for ldap/&lt;DC host&gt;, then DRSUAPI bound with raw Kerberos (auth_type 16, DCE style) at packet privacy, where
/// IDL_DRSBind's and IDL_DRSCrackNames' replies (one of many fragments) unseal and verify (Samba's Heimdal checks the AP-REQ, the third-leg AP-REP, every wrap token
/// and sequence number); NTLM is refused by the same DC.
/// </summary>
public sealed partial class SambaKerberosRpcTests(SambaKerberosDc dc) : IClassFixture<SambaKerberosDc>
{
    private static readonly RpcConnectionOptions s_options = new() { ConnectTimeout = TimeSpan.FromSeconds(30), CallTimeout = TimeSpan.FromSeconds(60) };

    private static RpcSecurityTarget Target => new(SambaKerberosDc.HostName, SambaKerberosDc.Realm);

    [Fact]
    public async Task Samba_KDC_issues_a_TGT_and_a_service_ticket_for_the_DC()
    {
        using KerberosCredential credential = KerberosCredential.FromPassword("Administrator", SambaKerberosDc.Realm, dc.AdministratorPassword, dc.Kdc);
        KerberosTicketGrant tgt = await credential.GetTicketGrantingTicketAsync(default);
        using KerberosTicketGrant service = await credential.GetServiceTicketAsync(SambaKerberosDc.HostName, default);
        Assert.Equal(["krbtgt", SambaKerberosDc.Realm], tgt.Ticket.ServerName.Components);
        // The fixture runs samba_spnupdate before the start (SambaDomainController), so the DC has its ldap/ SPN.
        Assert.Equal("ldap", service.Ticket.ServerName.Components[0]);
        Assert.Equal(SambaKerberosDc.HostName, service.Ticket.ServerName.Components[1], ignoreCase: true);
        Assert.Equal(18, service.SessionKey.EncryptionType); // aes256-cts-hmac-sha1-96
        Assert.Equal(18, service.Ticket.EncryptionType);
    }

    [Fact]
    public async Task Kerberos_bind_at_privacy_DrsBind_reply_unseals_and_verifies()
    {
        int port = await EndpointMapper.MapTcpPortAsync(dc.Host, RpcSyntaxId.Drsuapi, s_options, default);
        using KerberosCredential credential = KerberosCredential.FromPassword("Administrator", SambaKerberosDc.Realm, dc.AdministratorPassword, dc.Kdc);
        IRpcSecurityContext context = await credential.CreateSecurityContextAsync(Target, default);
        Assert.Equal(16, context.AuthType);

        await using RpcConnection connection = await RpcConnection.ConnectAsync(dc.Host, port, RpcSyntaxId.Drsuapi, context, s_options, default);
        Assert.True(context.IsComplete);
        Assert.Equal(76, context.SignatureLength);
        var drsuapi = new DrsuapiClient(connection);
        DrsExtensions server = await drsuapi.BindAsync(default);
        Assert.NotEqual(0u, server.Flags & DrsExtensions.Base);
        Assert.False(drsuapi.Handle.IsEmpty);

        // The DRS session key is the whole AES256 acceptor subkey (MS-DRSR 4.1.10.5.11, measured in the notes).
        Assert.Equal(32, connection.SessionKey.Length);

        // A request and a reply of many fragments, each sealed with its own wrap token and sequence number.
        (int requestLength, int replyLength, CrackedName[] results, int result) =
            await ManyNamesCrackProbe.CrackAsync(connection, drsuapi.Handle, SambaKerberosDc.NetBiosDomain + "\\Administrator", 500);
        Assert.True(requestLength > 3 * connection.MaxTransmitFragment, $"the request of {requestLength} bytes should span several fragments");
        Assert.True(replyLength > 5 * connection.MaxTransmitFragment, $"the reply of {replyLength} bytes should span many fragments");
        Assert.Equal(0, result);
        Assert.All(results, r => Assert.Equal((DsNameStatus.Ok, "CN=Administrator,CN=Users,DC=krb,DC=example,DC=test"), (r.Status, r.Name)));

        // Sequence numbers keep step in both directions: further calls on the same context verify too.
        for (int i = 0; i < 3; i++)
        {
            CrackedName cracked = await drsuapi.CrackNameAsync(DsNameFormat.Nt4Account, DsNameFormat.Fqdn1779, SambaKerberosDc.NetBiosDomain + "\\Administrator", default);
            Assert.Equal(DsNameStatus.Ok, cracked.Status);
        }

        await drsuapi.UnbindAsync(default);
    }

    [Fact]
    public async Task Keytab_exported_by_samba_tool_signs_in_and_binds()
    {
        string keytab = Path.Combine(dc.Directory, "admin-" + Guid.NewGuid().ToString("N") + ".keytab");
        ExternalTool.Result export = ExternalTool.Run(dc.SambaTool, ["domain", "exportkeytab", keytab, "--principal=Administrator", "-s", dc.SmbConf]);
        Assert.True(export.ExitCode == 0, export.StandardError + export.StandardOutput);

        int port = await EndpointMapper.MapTcpPortAsync(dc.Host, RpcSyntaxId.Drsuapi, s_options, default);
        using KerberosCredential credential = KerberosCredential.FromKeytab(keytab, "Administrator", SambaKerberosDc.Realm, dc.Kdc);
        IRpcSecurityContext context = await credential.CreateSecurityContextAsync(Target, default);
        await using RpcConnection connection = await RpcConnection.ConnectAsync(dc.Host, port, RpcSyntaxId.Drsuapi, context, s_options, default);
        var drsuapi = new DrsuapiClient(connection);
        await drsuapi.BindAsync(default);
        Assert.False(drsuapi.Handle.IsEmpty);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_are_clear_Kerberos_errors()
    {
        using (KerberosCredential wrong = KerberosCredential.FromPassword("Administrator", SambaKerberosDc.Realm, "wrong-password", dc.Kdc))
        {
            KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => wrong.GetTicketGrantingTicketAsync(default));
            Assert.Equal(24, e.ErrorCode);
        }

        using KerberosCredential unknown = KerberosCredential.FromPassword("no.such.user", SambaKerberosDc.Realm, "whatever", dc.Kdc);
        KerberosException u = await Assert.ThrowsAsync<KerberosException>(() => unknown.GetTicketGrantingTicketAsync(default));
        Assert.Equal(6, u.ErrorCode);
    }

    [Fact]
    public async Task NTLM_is_refused_by_the_DC_with_ntlm_auth_disabled()
    {
        int port = await EndpointMapper.MapTcpPortAsync(dc.Host, RpcSyntaxId.Drsuapi, s_options, default);
        using var credential = new NtlmCredential("Administrator", SambaKerberosDc.NetBiosDomain, dc.AdministratorPassword);
        IRpcSecurityContext context = await credential.CreateSecurityContextAsync(new RpcSecurityTarget(dc.Host, SambaKerberosDc.Realm), default);
        await using RpcConnection connection = await RpcConnection.ConnectAsync(dc.Host, port, RpcSyntaxId.Drsuapi, context, s_options, default);
        await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await new DrsuapiClient(connection).BindAsync(default));
    }
}
