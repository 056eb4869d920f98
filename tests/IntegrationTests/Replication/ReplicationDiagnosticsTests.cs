using System.Net;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;
using PasswordHashSync.TestSupport;
using static PasswordHashSync.IntegrationTests.Replication.ReplicationTestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// What the administrator is told when replication cannot work: missing rights (with the one missing named and the
/// remedy), a wrong password, a closed port or an unreachable DC.
/// </summary>
/// <remarks>
/// What Samba 4.17 answers [measured here]: IDL_DRSGetNCChanges for the whole domain with secrets (no partial
/// attribute set) returns WERR_DS_DRA_ACCESS_DENIED (8453) both to an ordinary user and to a user holding only
/// "Replicating Directory Changes"; the bind, CrackNames and DomainControllerInfo succeed for both. A request for
/// objectClass only succeeds with Get-Changes alone, which is how the client tells the two apart.
/// </remarks>
[Collection(ReplicationDomainControllerGroup.Name)]
public sealed class ReplicationDiagnosticsTests(ReplicationDomainController dc)
{
    [Fact]
    public async Task An_ordinary_user_is_refused_with_both_rights_named_and_the_remedy()
    {
        await using DrsReplicationClient client = await ConnectAsync(dc, ReplicationDomainController.PlainUser);
        var error = await Assert.ThrowsAsync<ReplicationAccessDeniedException>(async () => await ReplicateAsync(client));
        Assert.Equal(ReplicationRights.GetChanges | ReplicationRights.GetChangesAll, error.MissingRights);
        Assert.Contains("lacks \"Replicating Directory Changes\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("Replicating Directory Changes All", error.Message, StringComparison.Ordinal);
        Assert.Contains("8453", error.Message, StringComparison.Ordinal);
        Assert.Contains(ReplicationDomainController.DomainDn, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samba-tool dsacl set", error.Message, StringComparison.Ordinal);
        Assert.Contains(ReplicationDomainController.PlainUser.Name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_with_only_Get_Changes_is_refused_with_Get_Changes_All_named()
    {
        await using DrsReplicationClient client = await ConnectAsync(dc, ReplicationDomainController.GetChangesOnly);
        var error = await Assert.ThrowsAsync<ReplicationAccessDeniedException>(async () => await ReplicateAsync(client));
        Assert.Equal(ReplicationRights.GetChangesAll, error.MissingRights);
        Assert.Contains("lacks \"Replicating Directory Changes All\"", error.Message, StringComparison.Ordinal);

        // One account with its secrets needs Get-Changes-All as well (EXOP_REPL_OBJ with secret attributes).
        var one = await Assert.ThrowsAsync<ReplicationAccessDeniedException>(async () => await client.ReplicateAccountAsync("bob"));
        Assert.Equal(ReplicationRights.GetChangesAll, one.MissingRights);
    }

    [Fact]
    public async Task A_wrong_password_is_an_authentication_error_and_the_change_source_does_not_retry_it_at_once()
    {
        using var wrong = new NtlmCredential(ReplicationDomainController.Replicator.Name, ReplicationDomainController.NetBiosDomain, "Not-The-Password-1");
        var error = await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await DrsReplicationClient.ConnectAsync(Options(dc), wrong));
        Assert.Contains(ReplicationDomainController.Replicator.Name, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Not-The-Password-1", error.ToString(), StringComparison.Ordinal);

        // The source remembers the refusal: the next cycles fail at once, without contacting the DC again.
        var time = new ManualTime(DateTimeOffset.UtcNow);
        await using var source = new DrsDirectoryChangeSource(Options(dc), wrong, time);
        await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await source.GetCurrentWatermarkAsync(CancellationToken.None));
        var again = await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await source.GetCurrentWatermarkAsync(CancellationToken.None));
        Assert.Contains("Not retried before", again.Message, StringComparison.Ordinal);
        Assert.Same(error.GetType(), again.InnerException!.GetType());
        time.Advance(TimeSpan.FromMinutes(3));
        var later = await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await source.GetCurrentWatermarkAsync(CancellationToken.None));
        Assert.DoesNotContain("Not retried before", later.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_and_an_unreachable_DC_are_connectivity_errors()
    {
        using NtlmCredential credential = Credential(ReplicationDomainController.Replicator);
        int closedPort = Enumerable.Range(40000, 1000).First(p => LoopbackAddress.IsFree(dc.Address, p));
        var closed = await Assert.ThrowsAsync<ReplicationConnectivityException>(async () => await DrsReplicationClient.ConnectAsync(Options(dc, port: closedPort), credential));
        Assert.Contains("refused", closed.Message, StringComparison.Ordinal);
        Assert.Contains(dc.Address + ":" + closedPort, closed.Message, StringComparison.Ordinal);

        // No DC at all on another loopback address: the endpoint mapper on 135 refuses.
        IPAddress nobody = LoopbackAddress.Allocate(135);
        var absent = await Assert.ThrowsAsync<ReplicationConnectivityException>(async () => await DrsReplicationClient.ConnectAsync(Options(dc, host: nobody.ToString()), credential));
        Assert.Contains(nobody.ToString(), absent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_domain_the_DC_does_not_hold_is_named()
    {
        using NtlmCredential credential = Credential(ReplicationDomainController.Replicator);
        DrsReplicationOptions options = Options(dc);
        var error = await Assert.ThrowsAsync<ReplicationException>(async () => await DrsReplicationClient.ConnectAsync(
            new DrsReplicationOptions { DomainController = options.DomainController, DnsDomain = "other.example.test", ConnectTimeout = options.ConnectTimeout }, credential));
        Assert.Contains("other.example.test", error.Message, StringComparison.Ordinal);
    }

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
