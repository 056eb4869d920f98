using System.Net;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Rpc;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// A service ticket that Samba's acceptor, not the client, finds expired, in the middle of an agent's run: for the
/// connection after a mid-run reset the client asks for a one-second service ticket, and the proxy holds that
/// connection's bind for three seconds, so the DC sees the ticket only after its end time, as over a slow link or with a
/// ticket cached near its end. The client cannot tell from its own clock; the DC's refusal must make it sign in again.
/// </summary>
/// <remarks>
/// What Samba does [measured here, Samba 4.17.12, embedded Heimdal]: the bind's AP-REQ, seconds past its ticket's end,
/// passes (within Heimdal's 5-minute skew allowance; beyond it Heimdal's source fails KRB5KRB_AP_ERR_TKT_EXPIRED without
/// an error token, which it sends for skew and not-yet-valid tickets only); the DCE-style third leg (auth3) then checks
/// the context's lifetime strictly and fails ("GSS server Update(krb5)(2) failed, credentials expired during GSSAPI
/// handshake!" in its log), auth3 gets no answer, and the first request is answered with fault nca_s_proto_error.
/// </remarks>
public sealed partial class SambaKerberosRpcTests
{
    private const int GetNCChangesOpnum = 3;

    [Fact]
    public async Task A_ticket_the_DC_finds_expired_at_the_bind_after_a_mid_run_reset_is_renewed_and_every_change_arrives_once_in_order()
    {
        string user = "krb.expiry." + Guid.NewGuid().ToString("N")[..6];
        string secret = Guid.NewGuid().ToString("N")[..10];
        string ExpiryPassword(int version) => $"Expiry-{version}-{secret}-Pa55!";
        dc.SambaToolLocal("user", "create", user, ExpiryPassword(0));
        int drsPort = await EndpointMapper.MapTcpPortAsync(dc.Host, RpcSyntaxId.Drsuapi, s_options, default);
        await using FaultInjectingProxy proxy = FaultInjectingProxy.Start(new IPEndPoint(dc.Address, drsPort));

        // --dc is the proxy's address, so the service principal's host name comes from the rootDSE behind it.
        await using FaultInjectingProxy ldap = FaultInjectingProxy.StartForwarder(new IPEndPoint(dc.Address, 389), proxy.Address);
        using KerberosCredential credential = KerberosCredential.FromPassword("Administrator", SambaKerberosDc.Realm, dc.AdministratorPassword, dc.Kdc);
        credential.LdapPort = ldap.Port;
        var options = new DrsReplicationOptions
        {
            DomainController = proxy.Address.ToString(),
            Port = proxy.Port,
            DnsDomain = SambaKerberosDc.Realm.ToLowerInvariant(),
            ConnectTimeout = TimeSpan.FromSeconds(60),
            CallTimeout = TimeSpan.FromSeconds(60),
        };
        await using var drs = new DrsDirectoryChangeSource(options, credential);
        var source = new RecordingChangeSource(drs);
        var store = new InMemorySyncStateStore();
        var exporter = new RecordingPasswordHashExporter();
        var runner = new PasswordSyncRunner(source, exporter, store, new SyncPlanner(SupplementalCredentialsKerberosKeyExtractor.Instance), new PasswordHashSyncSettings());
        Assert.Equal(SyncCycleKind.Full, (await runner.RunCycleAsync()).Kind);
        int fullDeliveries = source.All.Count;
        string? watermark = (await store.LoadAsync()).Watermark;
        Assert.Equal(1, credential.AuthenticationCount);

        // Mid-run: the kept connection is reset inside a GetNCChanges reply; the cycle fails and keeps its watermark.
        dc.SambaToolLocal("user", "setpassword", user, "--newpassword=" + ExpiryPassword(1));
        proxy.Arm(new ReplyFault(ReplyFaultKind.Cut, GetNCChangesOpnum, Occurrence: 1, AtByte: 300));
        await Assert.ThrowsAsync<ReplicationConnectivityException>(() => runner.RunCycleAsync());
        Assert.Equal(watermark, (await store.LoadAsync()).Watermark);

        // The next cycle connects again with a one-second ticket, and its bind reaches the DC three seconds later. When
        // the proxy holds the bind, the client goes back to normal tickets, which its renewed sign-in then gets.
        credential.RequestedServiceTicketLifetime = TimeSpan.FromSeconds(1);
        proxy.Arm(new ReplyFault(ReplyFaultKind.HoldRequest, Opnum: null, Occurrence: 1, AtByte: 0, Delay: TimeSpan.FromSeconds(3), Fired: () => credential.RequestedServiceTicketLifetime = null));
        long logBefore = dc.LogPosition;
        SyncCycleReport renewed = await runner.RunCycleAsync();
        Assert.Equal(SyncCycleKind.Incremental, renewed.Kind);
        Assert.Equal(1, renewed.Exported);
        Assert.Equal(1, credential.RenewalsAfterRefusedBind);
        Assert.Equal(2, credential.AuthenticationCount); // signed in again with the password, not with the old TGT
        Assert.Equal(3, proxy.Connections); // the first, the refused one, the renewed one
        string[] log = dc.LogSince(logBefore);
        Assert.True(log.Any(l => l.Contains("credentials expired during GSSAPI handshake", StringComparison.Ordinal)), "the DC's log does not report the expired ticket:\n" + string.Join('\n', log.Where(l => l.Contains("gensec", StringComparison.OrdinalIgnoreCase) || l.Contains("dcesrv", StringComparison.OrdinalIgnoreCase)).Take(40)));

        // The renewed connection is kept: the next change arrives over it, with no further sign-in.
        dc.SambaToolLocal("user", "setpassword", user, "--newpassword=" + ExpiryPassword(2));
        SyncCycleReport next = await runner.RunCycleAsync();
        Assert.Equal(1, next.Exported);
        Assert.Equal(2, credential.AuthenticationCount);
        Assert.Equal(3, proxy.Connections);

        string[] delivered = [.. source.All.Skip(fullDeliveries).Select(d => d.SamAccountName + ":" + Convert.ToHexString(d.NtHash))];
        string[] expected = [.. new[] { 1, 2 }.Select(v => user + ":" + Convert.ToHexString(NtHash.Compute(ExpiryPassword(v))))];
        Assert.Equal(expected, delivered);
    }
}
