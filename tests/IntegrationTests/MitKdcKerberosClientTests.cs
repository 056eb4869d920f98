using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Kdc;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests;

/// <summary>
/// The managed Kerberos client against MIT krb5kdc (an independent implementation) on its own loopback address:
/// AS exchanges with pre-authentication (password with the KDC's salt, and keytab), TGS exchanges for service
/// principals, and the errors. MIT's klist and kvno then use the library's tickets from a credential cache: kvno -k
/// decrypts the library's service ticket with the service's keytab, and kvno with the library's TGT makes MIT send
/// its own TGS-REQ under the session key the library decrypted.
/// </summary>
public sealed class MitKdcKerberosClientTests : IClassFixture<MitKdcRealm>
{
    private const string Password = "Agent-Pässwörd 7!";
    private readonly MitKdcRealm _realm;

    public MitKdcKerberosClientTests(MitKdcRealm realm) => _realm = realm;

    private string Kdc => $"{_realm.Address}:{_realm.Port}";

    [Theory]
    [InlineData(null, 20, "aes256-cts-hmac-sha384-192")]
    [InlineData("aes256-cts-hmac-sha1-96:normal", 18, "aes256-cts-hmac-sha1-96")]
    [InlineData("aes128-cts-hmac-sha1-96:normal", 17, "aes128-cts-hmac-sha1-96")]
    [InlineData("aes128-cts-hmac-sha256-128:normal", 19, "aes128-cts-hmac-sha256-128")]
    public async Task Password_credential_gets_a_TGT_and_a_service_ticket_that_MIT_tools_accept(string? keySalts, int expectedEtype, string etypeName)
    {
        string user = "agent" + expectedEtype;
        string host = $"dc{expectedEtype}.phs.test";
        _realm.AddPrincipal(user, Password, keySalts);
        _realm.AddPrincipal("ldap/" + host, "Service-" + Guid.NewGuid().ToString("N"));
        _realm.AddPrincipal("cifs/" + host, "Service-" + Guid.NewGuid().ToString("N"));

        using KerberosCredential credential = KerberosCredential.FromPassword(user, "phs.test", Password, Kdc);
        KerberosTicketGrant tgt = await credential.GetTicketGrantingTicketAsync(CancellationToken.None);
        using KerberosTicketGrant service = await credential.GetServiceTicketAsync(host, CancellationToken.None);

        Assert.Equal(["krbtgt", MitKdcRealm.Realm], tgt.Ticket.ServerName.Components);
        Assert.Equal(["ldap", host], service.Ticket.ServerName.Components);

        // The KDC logged the AS exchange with the reply key of the principal's etype.
        Assert.Contains($"rep={etypeName}", _realm.ReadKdcLog().Split('\n').Where(l => l.Contains($"{user}@PHS.TEST for krbtgt", StringComparison.Ordinal)).Last(), StringComparison.Ordinal);

        string cache = Path.Combine(_realm.Directory, $"lib-{user}.ccache");
        MitCredentialCache.Write(cache, tgt, service);
        var environment = new Dictionary<string, string>(_realm.Environment) { ["KRB5CCNAME"] = "FILE:" + cache };
        ExternalTool.Result klist = ExternalTool.Run(_realm.Klist, ["-e"], environment: environment);
        Assert.True(klist.ExitCode == 0, klist.StandardError);
        Assert.Contains($"Default principal: {user}@PHS.TEST", klist.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"ldap/{host}@PHS.TEST", klist.StandardOutput, StringComparison.Ordinal);

        // kvno -k: MIT takes the library's cached service ticket and decrypts it with the service's own keytab.
        string kvno = ExternalTool.Require("kvno", "krb5-user");
        string serviceKeytab = _realm.ExportKdcKeys("ldap/" + host);
        ExternalTool.Result verified = ExternalTool.Run(kvno, ["-k", serviceKeytab, $"ldap/{host}@PHS.TEST"], environment: environment);
        Assert.True(verified.ExitCode == 0, verified.StandardError);
        Assert.Contains("keytab entry valid", verified.StandardOutput, StringComparison.Ordinal);

        // kvno for a service not in the cache: MIT's TGS-REQ is authenticated with the library's TGT session key.
        ExternalTool.Result fetched = ExternalTool.Run(kvno, [$"cifs/{host}@PHS.TEST"], environment: environment);
        Assert.True(fetched.ExitCode == 0, fetched.StandardError);
        Assert.Contains($"cifs/{host}@PHS.TEST: kvno = 1", fetched.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keytab_credential_reads_the_KDC_exported_keytab_and_signs_in_unattended()
    {
        _realm.AddPrincipal("keytabagent", Password);
        _realm.AddPrincipal("ldap/dckt.phs.test", "Service-" + Guid.NewGuid().ToString("N"));
        string keytab = _realm.ExportKdcKeys("keytabagent");

        using KerberosCredential credential = KerberosCredential.FromKeytab(keytab, "keytabagent", "PHS.TEST", Kdc);
        using KerberosTicketGrant service = await credential.GetServiceTicketAsync("dckt.phs.test", CancellationToken.None);
        Assert.Equal(["ldap", "dckt.phs.test"], service.Ticket.ServerName.Components);
    }

    [Fact]
    public async Task Service_ticket_falls_back_to_host_when_the_KDC_has_no_ldap_principal()
    {
        _realm.AddPrincipal("fallbackagent", Password);
        _realm.AddPrincipal("host/dcfb.phs.test", "Service-" + Guid.NewGuid().ToString("N"));
        using KerberosCredential credential = KerberosCredential.FromPassword("fallbackagent", "PHS.TEST", Password, Kdc);
        using KerberosTicketGrant service = await credential.GetServiceTicketAsync("dcfb.phs.test", CancellationToken.None);
        Assert.Equal(["host", "dcfb.phs.test"], service.Ticket.ServerName.Components);
    }

    [Fact]
    public async Task Wrong_password_unknown_user_and_unknown_service_are_clear_errors()
    {
        _realm.AddPrincipal("erroragent", Password);
        using (KerberosCredential wrong = KerberosCredential.FromPassword("erroragent", "PHS.TEST", "not the password", Kdc))
        {
            KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => wrong.GetTicketGrantingTicketAsync(CancellationToken.None));
            Assert.Equal(24, e.ErrorCode);
            Assert.Contains("Wrong password", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("not the password", e.Message, StringComparison.Ordinal);
        }

        using (KerberosCredential unknown = KerberosCredential.FromPassword("nobody-here", "PHS.TEST", Password, Kdc))
        {
            KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => unknown.GetTicketGrantingTicketAsync(CancellationToken.None));
            Assert.Equal(6, e.ErrorCode);
        }

        using KerberosCredential credential = KerberosCredential.FromPassword("erroragent", "PHS.TEST", Password, Kdc);
        KerberosException noService = await Assert.ThrowsAsync<KerberosException>(() => credential.GetServiceTicketAsync("no-such-dc.phs.test", CancellationToken.None));
        Assert.Equal(7, noService.ErrorCode);
    }

    [Fact]
    public async Task An_account_with_only_RC4_keys_is_refused_unless_RC4_is_enabled()
    {
        _realm.AddPrincipal("rc4agent", Password, "arcfour-hmac:normal");
        using (KerberosCredential strict = KerberosCredential.FromPassword("rc4agent", "PHS.TEST", Password, Kdc))
        {
            KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => strict.GetTicketGrantingTicketAsync(CancellationToken.None));
            Assert.Equal(14, e.ErrorCode);
            Assert.Contains("weak", e.Message, StringComparison.Ordinal);
            Assert.Equal(KerberosFailure.WeakEncryptionOnly, e.Failure);
            Assert.False(e.IsKerberosUnavailable);
        }

        using KerberosCredential allowed = KerberosCredential.FromPassword("rc4agent", "PHS.TEST", Password, Kdc, allowRc4: true);
        KerberosTicketGrant tgt = await allowed.GetTicketGrantingTicketAsync(CancellationToken.None);
        Assert.Equal(["krbtgt", MitKdcRealm.Realm], tgt.Ticket.ServerName.Components);
        Assert.Contains("rep=DEPRECATED:arcfour-hmac(23)", _realm.ReadKdcLog().Split('\n').Last(l => l.Contains("rc4agent@PHS.TEST for krbtgt", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_KDC_is_a_connectivity_error()
    {
        using KerberosCredential credential = KerberosCredential.FromPassword("x", "PHS.TEST", Password, $"{_realm.Address}:1");
        KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => credential.GetTicketGrantingTicketAsync(CancellationToken.None));
        Assert.Contains("could not be reached", e.Message, StringComparison.Ordinal);
    }
}
