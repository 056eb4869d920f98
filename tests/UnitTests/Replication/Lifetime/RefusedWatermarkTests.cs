using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Sync;

namespace PasswordHashSync.UnitTests.Replication.Lifetime;

/// <summary>
/// Rule (issue "Live replication from a domain controller", item 4): a watermark the DC refuses leads to a full sync,
/// reported as such; any other error fails the cycle and keeps the watermark, so the next cycle asks again.
/// </summary>
public class RefusedWatermarkTests
{
    private static DrsDirectoryChangeSource Source(FakeReplicationSession session) => new(_ => ValueTask.FromResult<IReplicationSession>(session), null);

    private static PasswordSyncRunner Runner(IDirectoryChangeSource source, InMemorySyncStateStore store) =>
        new(source, new RecordingPasswordHashExporter(), store, new SyncPlanner(new SyncFakeKerberosKeyExtractor(), new SyncCountingRandomSource()),
            new PasswordHashSyncSettings(), new SyncManualTimeProvider(SyncUsers.T0.AddDays(30)));

    [Theory]
    [InlineData(87, "ERROR_INVALID_PARAMETER")]
    [InlineData(8437, "ERROR_DS_DRA_INVALID_PARAMETER")]
    [InlineData(8593, "ERROR_DS_DIFFERENT_REPL_EPOCHS")]
    public async Task A_refused_watermark_turns_the_cycle_into_a_full_sync_with_the_reason(int error, string name)
    {
        var session = new FakeReplicationSession("alice", "bob", "carol");
        await using DrsDirectoryChangeSource source = Source(session);
        var store = new InMemorySyncStateStore();
        PasswordSyncRunner runner = Runner(source, store);
        Assert.Equal(SyncCycleKind.Full, (await runner.RunCycleAsync()).Kind);

        session.RefuseWatermarksWith = error;
        DirectoryChangeSet changes = await source.GetChangesAsync(session.Cookie(100).ToString(), CancellationToken.None);
        Assert.Empty(changes.Users);
        Assert.Equal($"The domain controller refused the stored replication watermark ({name}, {error}); replicating everything again.", changes.FullSyncReason);

        SyncCycleReport cycle = await runner.RunCycleAsync();
        Assert.Equal(SyncCycleKind.Full, cycle.Kind);
        Assert.Equal(changes.FullSyncReason, cycle.FullSyncReason);
        Assert.Equal(3, cycle.Exported);
        Assert.Equal(0, source.OutstandingUsers);
    }

    [Theory]
    [InlineData(DrsErrors.AccessDenied)]
    [InlineData(8440)]
    [InlineData(8456)]
    public async Task Any_other_error_fails_the_cycle_and_keeps_the_watermark(int error)
    {
        var session = new FakeReplicationSession("alice", "bob");
        await using DrsDirectoryChangeSource source = Source(session);
        var store = new InMemorySyncStateStore();
        PasswordSyncRunner runner = Runner(source, store);
        await runner.RunCycleAsync();
        string? watermark = (await store.LoadAsync(CancellationToken.None)).Watermark;
        Assert.NotNull(watermark);

        session.RefuseWatermarksWith = error;
        DrsErrorException thrown = await Assert.ThrowsAnyAsync<DrsErrorException>(() => source.GetChangesAsync(watermark, CancellationToken.None).AsTask());
        Assert.Equal(error, thrown.Win32Error);

        await Assert.ThrowsAnyAsync<DrsErrorException>(() => runner.RunCycleAsync());
        SyncState after = await store.LoadAsync(CancellationToken.None);
        Assert.False(after.FullSyncRequested);
        Assert.Equal(watermark, (await store.LoadAsync(CancellationToken.None)).Watermark);
    }
}
