using PasswordHashSync.Digest;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.SupplementalCredentials;
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
    public async Task After_one_password_change_the_next_cycle_returns_that_user_and_no_other()
    {
        await using DrsReplicationClient client = await ConnectAsync(dc, ReplicationDomainController.Replicator);
        ReplicationCookie now = await client.GetCurrentCookieAsync();
        Assert.Empty((await ReplicateAsync(client, now)).Accounts);

        dc.SetPassword("mutable.alpha", "Mutable-Alpha-1");
        (Dictionary<string, ReplicatedSnapshot> changed, List<ReplicationChunk> chunks) = await ReplicateAsync(client, now);
        Assert.Equal(["mutable.alpha"], changed.Keys);
        Assert.Equal(SambaReference.Hex(NtHash.Compute("Mutable-Alpha-1")), SambaReference.Hex(changed["mutable.alpha"].NtHash));
        Assert.Equal(SambaReference.Hex(NtHash.Compute("Mutable-Alpha-0")), SambaReference.Hex(changed["mutable.alpha"].NtHashHistory[1]));
        Assert.False(chunks[0].IsFullReplication);

        // The whole account, not the changed attributes only: identity, flags, NT hash, history and every Kerberos key
        // equal what Samba stores.
        Assert.Equal("mutable.alpha", changed["mutable.alpha"].User.SamAccountName);
        Assert.True(changed["mutable.alpha"].User.HasObjectClass("user"));
        Assert.True(DrsReplicationTests.AssertSameSecrets("mutable.alpha", dc.Reference.ReadDatabase()["mutable.alpha"], changed["mutable.alpha"]) >= 4);

        // The cookie survives its text form, and from it nothing is new.
        ReplicationCookie after = ReplicationCookie.Parse(chunks[^1].Cookie.ToString());
        Assert.Equal(chunks[^1].Cookie, after);
        Assert.True(after.HighObjectUpdate > now.HighObjectUpdate);
        Assert.Empty((await ReplicateAsync(client, after)).Accounts);
    }

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
    public async Task Runner_cycles_full_then_only_the_changed_user_then_full_again_after_a_reset_or_a_restored_DC()
    {
        using NtlmCredential credential = Credential(ReplicationDomainController.Replicator);
        await using var drs = new DrsDirectoryChangeSource(Options(dc), credential);
        var source = new RecordingChangeSource(drs);
        var store = new InMemorySyncStateStore();
        var exporter = new RecordingPasswordHashExporter();
        var runner = new PasswordSyncRunner(source, exporter, store, new SyncPlanner(SupplementalCredentialsKerberosKeyExtractor.Instance), new PasswordHashSyncSettings());

        SyncCycleReport first = await runner.RunCycleAsync();
        Assert.Equal(SyncCycleKind.Full, first.Kind);
        Assert.Null(first.FullSyncReason);
        Assert.True(first.Exported >= dc.Accounts.Count(a => a.Kind == ReplicationTestAccountKind.User) - 2, first.ToString()); // grace (disabled) and frank (must change) are skipped
        Assert.True(ReplicationCookie.TryParse((await store.LoadAsync()).Watermark, out _));

        SyncCycleReport idle = await runner.RunCycleAsync();
        Assert.Equal(SyncCycleKind.Incremental, idle.Kind);
        Assert.Equal(0, idle.Exported);

        int before = exporter.Exported.Count;
        dc.SetPassword("mutable.beta", "Mutable-Beta-1");
        SyncCycleReport changed = await runner.RunCycleAsync();
        Assert.Equal(SyncCycleKind.Incremental, changed.Kind);
        Assert.Equal(1, changed.Exported);
        CloudPasswordRecord record = exporter.Exported.Skip(before).Single();
        Assert.StartsWith("CN=mutable.beta,", record.DistinguishedName, StringComparison.Ordinal);
        Assert.Equal(DigestVerificationStatus.Success, SaltedDigestVerifier.Default.Verify("Mutable-Beta-1", record.Digest.ToWireString()).Status);

        // What the change set handed the runner is the whole user: NT hash and Kerberos keys as Samba stores them.
        RecordingChangeSource.Delivered delivered = source.All.Where(d => d.Incremental).Single();
        Assert.Equal("mutable.beta", delivered.SamAccountName);
        SambaStoredAccount stored = dc.Reference.ReadDatabase()["mutable.beta"];
        Assert.Equal(SambaReference.Hex(stored.User.NtHash.Span), SambaReference.Hex(delivered.NtHash));
        Assert.Equal(SambaReference.Hex(NtHash.Compute("Mutable-Beta-1")), SambaReference.Hex(delivered.NtHash));
        Assert.Equal(SambaReference.Hex(stored.User.SupplementalCredentials.Span), SambaReference.Hex(delivered.SupplementalCredentials));
        Assert.Equal(
            SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(stored.User.SupplementalCredentials).Select(k => $"{k.EncryptionType} {SambaReference.Hex(k.Key.Span)}"),
            SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(delivered.SupplementalCredentials).Select(k => $"{k.EncryptionType} {SambaReference.Hex(k.Key.Span)}"));

        // An unreadable watermark: a full sync, reported with the reason.
        SyncState state = await store.LoadAsync();
        state.Watermark = "not-a-cookie";
        await store.SaveAsync(state);
        SyncCycleReport reset = await runner.RunCycleAsync();
        Assert.Equal(SyncCycleKind.Full, reset.Kind);
        Assert.Contains("watermark", reset.FullSyncReason, StringComparison.Ordinal);
        Assert.True(ReplicationCookie.TryParse((await store.LoadAsync()).Watermark, out _));

        // The cookie of another invocation (a DC restored from backup): a full sync naming the invocation ID change.
        state = await store.LoadAsync();
        ReplicationCookie cookie = ReplicationCookie.Parse(state.Watermark!);
        state.Watermark = new ReplicationCookie(cookie.NamingContext, Guid.NewGuid(), cookie.HighObjectUpdate, cookie.ReservedUsn, cookie.HighPropertyUpdate, cookie.Cursors).ToString();
        await store.SaveAsync(state);
        SyncCycleReport restored = await runner.RunCycleAsync();
        Assert.Equal(SyncCycleKind.Full, restored.Kind);
        Assert.Contains("invocation ID changed", restored.FullSyncReason, StringComparison.Ordinal);
        Assert.Equal(SyncCycleKind.Incremental, (await runner.RunCycleAsync()).Kind);
    }

    [Fact]
    public async Task A_new_group_and_a_deleted_user_bring_no_account_and_a_user_created_since_comes_whole()
    {
        dc.SambaToolLocal("user", "create", "doomed.user", "Doomed-User-0", "--use-username-as-cn");
        await using DrsReplicationClient client = await ConnectAsync(dc, ReplicationDomainController.Replicator);
        ReplicationCookie now = await client.GetCurrentCookieAsync();

        dc.SambaToolLocal("group", "add", "phs.new.group");
        dc.SambaToolLocal("user", "delete", "doomed.user");
        dc.SambaToolLocal("user", "create", "born.user", "Born-User-0", "--use-username-as-cn");
        (Dictionary<string, ReplicatedSnapshot> changed, List<ReplicationChunk> chunks) = await ReplicateAsync(client, now);

        // The DC sent the group, the tombstone and the new user; the change set holds the new user only.
        Assert.True(chunks.Sum(c => c.ObjectCount) >= 3, $"{chunks.Sum(c => c.ObjectCount)} objects");
        Assert.Equal(["born.user"], changed.Keys);
        Assert.Equal(SambaReference.Hex(NtHash.Compute("Born-User-0")), SambaReference.Hex(changed["born.user"].NtHash));
        DrsReplicationTests.AssertSameSecrets("born.user", dc.Reference.ReadDatabase()["born.user"], changed["born.user"]);
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
