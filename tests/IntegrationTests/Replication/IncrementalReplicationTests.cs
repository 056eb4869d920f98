using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Sync;
using static PasswordHashSync.IntegrationTests.Replication.ReplicationTestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// Incremental replication from the cookie, and PasswordSyncRunner cycles with DrsDirectoryChangeSource against the
/// live DC: one changed password gives that user and no other; a reset watermark, an unreadable one, or a cookie from
/// another invocation (what a DC restored from backup presents) gives a full sync, reported as such.
/// </summary>
[Collection(ReplicationDomainControllerGroup.Name)]
public sealed class IncrementalReplicationTests(ReplicationDomainController dc)
{
    [Fact]
    public async Task Without_a_cookie_and_from_a_cookie_of_another_invocation_every_account_comes_again()
    {
        await using DrsReplicationClient client = await ConnectAsync(dc, ReplicationDomainController.Replicator);
        int users = dc.Reference.ReadDatabase().Values.Count(a => a.User.HasObjectClass("user"));
        (Dictionary<string, ReplicatedSnapshot> all, List<ReplicationChunk> fullChunks) = await ReplicateAsync(client, null);
        Assert.Equal(users, all.Count);
        Assert.True(fullChunks[0].IsFullReplication);

        // A DC restored from backup has a new invocation ID: the stored cookie's no longer matches, and the DC resends all.
        ReplicationCookie now = await client.GetCurrentCookieAsync();
        var foreign = new ReplicationCookie(now.NamingContext, Guid.NewGuid(), now.HighObjectUpdate, 0, now.HighPropertyUpdate, []);
        (Dictionary<string, ReplicatedSnapshot> again, List<ReplicationChunk> chunks) = await ReplicateAsync(client, foreign);
        Assert.Equal(users, again.Count);
        Assert.True(chunks[0].IsFullReplication);
        Assert.Equal(foreign.InvocationId, chunks[0].PreviousInvocationId);
        Assert.Equal(now.InvocationId, chunks[^1].Cookie.InvocationId);
    }

    [Fact]
    public async Task Retry_reads_one_user_by_object_guid_and_a_vanished_one_as_null()
    {
        using NtlmCredential credential = Credential(ReplicationDomainController.Replicator);
        await using var source = new DrsDirectoryChangeSource(Options(dc), credential);
        SambaStoredAccount stored = dc.Reference.ReadDatabase()["Emoji.User"];
        Directory.DirectoryUser? user = await source.GetUserAsync(SyncPlanner.GetSourceAnchor(stored.User), CancellationToken.None);
        Assert.NotNull(user);
        Assert.Equal("Emoji.User", user.SamAccountName);
        Assert.Equal(SambaReference.Hex(stored.User.NtHash.Span), SambaReference.Hex(user.NtHash.Span));
        Assert.Null(await source.GetUserAsync(Convert.ToBase64String(Guid.NewGuid().ToByteArray()), CancellationToken.None));
    }
}
