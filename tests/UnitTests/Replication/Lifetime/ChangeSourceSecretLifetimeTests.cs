using PasswordHashSync.Directory;
using PasswordHashSync.Replication;
using PasswordHashSync.Sync;

namespace PasswordHashSync.UnitTests.Replication.Lifetime;

/// <summary>
/// The documented secret lifetime of <see cref="DrsDirectoryChangeSource"/> (its class remarks and
/// <see cref="IDirectoryChangeSource.ReleaseUsers"/>): the decrypted NT hash, history and supplementalCredentials of a
/// user stay readable until the consumer releases the user (the runner: after the batch was planned and exported), are
/// zeroed then, and nothing the consumer never received outlives the call that replicated it.
/// </summary>
public class ChangeSourceSecretLifetimeTests
{
    private static string[] Names(int count) => [.. Enumerable.Range(0, count).Select(i => "user" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture))];

    private static DrsDirectoryChangeSource Source(FakeReplicationSession session) => new(_ => ValueTask.FromResult<IReplicationSession>(session), null);

    private static PasswordSyncRunner Runner(IDirectoryChangeSource source, IPasswordHashExporter exporter, InMemorySyncStateStore store) =>
        new(source, exporter, store, new SyncPlanner(new SyncFakeKerberosKeyExtractor(), new SyncCountingRandomSource()), new PasswordHashSyncSettings(),
            new SyncManualTimeProvider(SyncUsers.T0.AddDays(30)));

    [Fact]
    public async Task FullSync_ThroughTheRunner_SecretsAreIntactAtExport_AndZeroedWhenTheCycleEnds()
    {
        // 7 replies of 17: the runner's batches of 50 span replies, so zeroing at the end of a reply would be too early.
        var session = new FakeReplicationSession(Names(119)) { ChunkSize = 17 };
        await using DrsDirectoryChangeSource source = Source(session);
        var intactAtExport = new List<bool>();
        var exporter = new RecordingPasswordHashExporter
        {
            FailWhen = decision =>
            {
                intactAtExport.Add(session.Secrets[decision.DistinguishedName[3..decision.DistinguishedName.IndexOf(',', StringComparison.Ordinal)]].IsIntact);
                return false;
            },
        };

        SyncCycleReport report = await Runner(source, exporter, new InMemorySyncStateStore()).RunCycleAsync();

        Assert.Equal(SyncCycleKind.Full, report.Kind);
        Assert.Equal(119, report.Exported);
        Assert.Equal(119, intactAtExport.Count);
        Assert.All(intactAtExport, Assert.True);
        Assert.Equal(119, session.AllSecrets.Count);
        Assert.All(session.AllSecrets, s => Assert.True(s.IsZeroed, $"{s.Name}'s secrets were not zeroed after the full sync"));
        Assert.Equal(0, source.OutstandingUsers);
    }

    [Fact]
    public async Task IncrementalCycle_ThroughTheRunner_ZeroesTheChangedUsersAfterTheCycle()
    {
        var session = new FakeReplicationSession(Names(5));
        await using DrsDirectoryChangeSource source = Source(session);
        var store = new InMemorySyncStateStore();
        PasswordSyncRunner runner = Runner(source, new RecordingPasswordHashExporter(), store);
        Assert.Equal(SyncCycleKind.Full, (await runner.RunCycleAsync()).Kind);
        int fromFullSync = session.AllSecrets.Count;

        SyncCycleReport incremental = await runner.RunCycleAsync();

        Assert.Equal(SyncCycleKind.Incremental, incremental.Kind);
        Assert.Equal(10, session.AllSecrets.Count);
        Assert.Equal(5, fromFullSync);
        Assert.All(session.AllSecrets, s => Assert.True(s.IsZeroed, $"{s.Name}'s secrets were not zeroed"));
        Assert.Equal(0, source.OutstandingUsers);
    }

    [Fact]
    public async Task GetAllUsers_ReleasedUsersAreZeroed_OthersStayReadableUntilDispose()
    {
        var session = new FakeReplicationSession(Names(6));
        DrsDirectoryChangeSource source = Source(session);
        var users = new List<DirectoryUser>();
        await foreach (DirectoryUser user in source.GetAllUsersAsync(CancellationToken.None))
        {
            users.Add(user);
        }

        // Nothing is zeroed by the end of the enumeration: the runner processes its last batch after it.
        Assert.All(session.AllSecrets, s => Assert.True(s.IsIntact));
        Assert.Equal(session.Secrets["user000"].NtHash, users[0].NtHash.ToArray());

        source.ReleaseUsers([users[0], users[4]]);

        Assert.True(session.Secrets["user000"].IsZeroed);
        Assert.True(session.Secrets["user004"].IsZeroed);
        Assert.True(users[0].NtHash.Span.IndexOfAnyExcept((byte)0) < 0);
        Assert.All(session.AllSecrets.Where(s => s.Name is not "user000" and not "user004"), s => Assert.True(s.IsIntact));
        Assert.Equal(4, source.OutstandingUsers);

        await source.DisposeAsync();

        Assert.All(session.AllSecrets, s => Assert.True(s.IsZeroed, $"{s.Name}'s secrets were not zeroed by DisposeAsync"));
        Assert.Equal(0, source.OutstandingUsers);
    }

    [Fact]
    public async Task GetAllUsers_ConsumerStopsEarly_TheReplyAccountsItNeverGotAreZeroedAtOnce()
    {
        var session = new FakeReplicationSession(Names(6));
        await using DrsDirectoryChangeSource source = Source(session);
        DirectoryUser? first = null;
        await foreach (DirectoryUser user in source.GetAllUsersAsync(CancellationToken.None))
        {
            first = user;
            break;
        }

        Assert.NotNull(first);
        Assert.True(session.Secrets["user000"].IsIntact);
        Assert.True(session.Secrets["user001"].IsZeroed);
        Assert.True(session.Secrets["user002"].IsZeroed);
        Assert.False(session.Secrets.ContainsKey("user003")); // The second reply was never asked for.
        Assert.Equal(1, source.OutstandingUsers);
    }

    [Fact]
    public async Task ReleaseUsers_IgnoresForeignUsersAndSecondReleases()
    {
        var session = new FakeReplicationSession(Names(2));
        await using DrsDirectoryChangeSource source = Source(session);
        DirectoryUser foreign = SyncUsers.User("foreign");
        byte[] foreignHash = foreign.NtHash.ToArray();
        DirectoryUser? mine = await source.GetUserAsync(SyncPlanner.GetSourceAnchor(SyncUsers.User("user001")), CancellationToken.None);
        Assert.NotNull(mine);
        Assert.True(session.Secrets["user001"].IsIntact);

        source.ReleaseUsers([foreign, mine, mine]);

        Assert.Equal(foreignHash, foreign.NtHash.ToArray());
        Assert.True(session.Secrets["user001"].IsZeroed);
        Assert.Equal(0, source.OutstandingUsers);
    }

    [Fact]
    public async Task GetChanges_FailingMidCycle_ZeroesWhatItCollected()
    {
        var session = new FakeReplicationSession(Names(9));
        await using DrsDirectoryChangeSource source = Source(session);
        string watermark = session.Cookie(50).ToString();
        session.FailAfterChunks = 2;

        await Assert.ThrowsAsync<ReplicationConnectivityException>(async () => await source.GetChangesAsync(watermark, CancellationToken.None));

        Assert.Equal(6, session.AllSecrets.Count);
        Assert.All(session.AllSecrets, s => Assert.True(s.IsZeroed, $"{s.Name}'s secrets outlived the failed cycle"));
        Assert.Equal(0, source.OutstandingUsers);
    }

    [Fact]
    public async Task GetChanges_DcRestored_AsksForAFullSync_AndZeroesTheResentAccounts()
    {
        var session = new FakeReplicationSession(Names(4));
        await using DrsDirectoryChangeSource source = Source(session);
        string watermark = session.Cookie(50).ToString();
        session.InvocationId = Guid.NewGuid();

        DirectoryChangeSet changes = await source.GetChangesAsync(watermark, CancellationToken.None);

        Assert.NotNull(changes.FullSyncReason);
        Assert.NotEmpty(session.AllSecrets);
        Assert.All(session.AllSecrets, s => Assert.True(s.IsZeroed));
        Assert.Equal(0, source.OutstandingUsers);
    }

    [Fact]
    public async Task GetChanges_UsersShareTheReplicatedBuffers_UntilReleased()
    {
        var session = new FakeReplicationSession(Names(4));
        await using DrsDirectoryChangeSource source = Source(session);

        DirectoryChangeSet changes = await source.GetChangesAsync(session.Cookie(50).ToString(), CancellationToken.None);

        Assert.Equal(4, changes.Users.Count);
        Assert.All(session.AllSecrets, s => Assert.True(s.IsIntact));
        Assert.Equal(4, source.OutstandingUsers);
        source.ReleaseUsers(changes.Users);
        Assert.All(session.AllSecrets, s => Assert.True(s.IsZeroed));
        Assert.All(changes.Users, u => Assert.True(u.SupplementalCredentials.Span.IndexOfAnyExcept((byte)0) < 0));
    }
}
