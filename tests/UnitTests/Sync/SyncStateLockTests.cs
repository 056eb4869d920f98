using System.Globalization;
using PasswordHashSync.Sync;

namespace PasswordHashSync.UnitTests;

/// <summary>
/// The state store's exclusive lock: a second user of one state refuses at once with a message naming the lock file,
/// and two writers that take turns lose no update (the issue measured 59-105 lost saves and an unhandled IOException
/// with two unlocked writers).
/// </summary>
public sealed class SyncStateLockTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "phs-sync-lock-" + Guid.NewGuid().ToString("N"));

    private string StatePath => Path.Combine(_directory, "state.json");

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_directory))
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void SecondStore_OnTheSameState_RefusesAtOnceNamingTheLockFile()
    {
        using var first = new FileSyncStateStore(StatePath);

        var e = Assert.Throws<SyncStateLockedException>(() => new FileSyncStateStore(StatePath));

        Assert.Equal(StatePath + ".lock", e.LockFilePath);
        Assert.Equal(first.LockFilePath, e.LockFilePath);
        Assert.Contains(StatePath + ".lock", e.Message, StringComparison.Ordinal);
        Assert.Contains("in use by another process", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_ReleasesTheLock_AndTheStoreRefusesFurtherUse()
    {
        var first = new FileSyncStateStore(StatePath);
        await first.SaveAsync(new SyncState { Watermark = "1" });
        first.Dispose();

        using var second = new FileSyncStateStore(StatePath);
        Assert.Equal("1", (await second.LoadAsync()).Watermark);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => first.LoadAsync().AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => first.SaveAsync(new SyncState()).AsTask());
    }

    [Fact]
    public async Task ReadAsync_WorksWhileTheOwnerHoldsTheLock()
    {
        using var owner = new FileSyncStateStore(StatePath);
        await owner.SaveAsync(new SyncState { Watermark = "w", LastCycleKind = SyncCycleKind.Full });

        SyncState seen = await FileSyncStateStore.ReadAsync(StatePath);

        Assert.Equal("w", seen.Watermark);
        Assert.Equal(SyncCycleKind.Full, seen.LastCycleKind);
    }

    [Fact]
    public void LockFile_IsOwnerOnly()
    {
        using var store = new FileSyncStateStore(StatePath);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.LockFilePath));
        }
    }

    // The two-writer scenario of the issue: two writers load, change and save the same state as fast as they can.
    // With the lock, a writer that finds the state in use gets SyncStateLockedException (never another IOException)
    // and tries again, so every increment survives.
    [Fact]
    public async Task TwoWriters_TakingTurnsThroughTheLock_LoseNoUpdate()
    {
        const int PerWriter = 150;
        int refusals = 0;

        async Task Writer()
        {
            for (int done = 0; done < PerWriter;)
            {
                FileSyncStateStore store;
                try
                {
                    store = new FileSyncStateStore(StatePath);
                }
                catch (SyncStateLockedException)
                {
                    Interlocked.Increment(ref refusals);
                    await Task.Yield();
                    continue;
                }

                using (store)
                {
                    SyncState state = await store.LoadAsync();
                    int value = state.Watermark is null ? 0 : int.Parse(state.Watermark, CultureInfo.InvariantCulture);
                    state.Watermark = (value + 1).ToString(CultureInfo.InvariantCulture);
                    await store.SaveAsync(state);
                }

                done++;
            }
        }

        await Task.WhenAll(Task.Run(Writer), Task.Run(Writer));

        SyncState final = await FileSyncStateStore.ReadAsync(StatePath);
        Assert.Equal((2 * PerWriter).ToString(CultureInfo.InvariantCulture), final.Watermark);
    }

    [Fact]
    public async Task RecentErrors_AndLastCycle_RoundTrip_AndAreCapped()
    {
        var state = new SyncState { LastCycleCompleted = SyncUsers.T0, LastCycleKind = SyncCycleKind.Incremental };
        for (int i = 0; i < SyncState.MaxRecentErrors + 5; i++)
        {
            state.RecordError(SyncUsers.T0.AddMinutes(i), "error " + i.ToString(CultureInfo.InvariantCulture));
        }

        using (var store = new FileSyncStateStore(StatePath))
        {
            await store.SaveAsync(state);
        }

        SyncState loaded = await FileSyncStateStore.ReadAsync(StatePath);
        Assert.Equal(SyncUsers.T0, loaded.LastCycleCompleted);
        Assert.Equal(SyncCycleKind.Incremental, loaded.LastCycleKind);
        Assert.Equal(SyncState.MaxRecentErrors, loaded.RecentErrors.Count);
        Assert.Equal("error 5", loaded.RecentErrors[0].Message);
        Assert.Equal("error 24", loaded.RecentErrors[^1].Message);
    }
}
