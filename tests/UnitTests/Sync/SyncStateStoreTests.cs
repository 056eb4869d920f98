using System.Text;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>The durable state store: atomic replace, crash mid-write, corruption detection, no secrets on disk.</summary>
public sealed class SyncStateStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "phs-sync-state-" + Guid.NewGuid().ToString("N"));

    private string StatePath => Path.Combine(_directory, "nested", "state.json");

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_directory))
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
    }

    private static SyncState SampleState()
    {
        var state = new SyncState
        {
            Watermark = "usn:4711",
            InitialSyncCompleted = true,
            ScopeSettingsStamp = "stamp",
            LastHeartbeat = T0,
            LastSuccessfulExport = T0.AddMinutes(2),
        };
        state.Users["anchor-a"] = new SyncUserState { LastApplied = new PasswordChangeVersion(T0, false, T0), InScope = true, DisablePasswordExpirationApplied = true };
        state.Users["anchor-b"] = new SyncUserState { InScope = false, ManagedDomainPending = true };
        state.RetryQueue["anchor-c"] = new SyncRetryEntry("anchor-c", new PasswordChangeVersion(T0.AddHours(1), true, T0), 3, T0.AddHours(2));
        return state;
    }

    private static void AssertSameState(SyncState expected, SyncState actual)
    {
        Assert.Equal(expected.Watermark, actual.Watermark);
        Assert.Equal(expected.InitialSyncCompleted, actual.InitialSyncCompleted);
        Assert.Equal(expected.FullSyncRequested, actual.FullSyncRequested);
        Assert.Equal(expected.ScopeSettingsStamp, actual.ScopeSettingsStamp);
        Assert.Equal(expected.LastHeartbeat, actual.LastHeartbeat);
        Assert.Equal(expected.LastSuccessfulExport, actual.LastSuccessfulExport);
        Assert.Equal(expected.Users.OrderBy(p => p.Key), actual.Users.OrderBy(p => p.Key));
        Assert.Equal(expected.RetryQueue.OrderBy(p => p.Key), actual.RetryQueue.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task FileStore_RoundTripsEveryField()
    {
        using (var store = new FileSyncStateStore(StatePath))
        {
            await store.SaveAsync(SampleState());
        }

        using var reopened = new FileSyncStateStore(StatePath);
        AssertSameState(SampleState(), await reopened.LoadAsync());
        AssertSameState(SampleState(), await FileSyncStateStore.ReadAsync(StatePath));
    }

    [Fact]
    public async Task FileStore_MissingFile_LoadsAnEmptyState()
    {
        using var store = new FileSyncStateStore(StatePath);
        SyncState state = await store.LoadAsync();
        Assert.Null(state.Watermark);
        Assert.False(state.InitialSyncCompleted);
        Assert.Empty(state.Users);
    }

    // Crash mid-write: the partial temporary file is ignored, the previous state is loaded, the next save succeeds.
    [Fact]
    public async Task FileStore_CrashMidWrite_KeepsThePreviousState()
    {
        using var store = new FileSyncStateStore(StatePath);
        await store.SaveAsync(SampleState());
        byte[] full = await File.ReadAllBytesAsync(StatePath);
        await File.WriteAllBytesAsync(StatePath + ".tmp", full.AsSpan(0, full.Length / 2).ToArray());

        AssertSameState(SampleState(), await store.LoadAsync());

        SyncState next = SampleState();
        next.Watermark = "usn:9999";
        await store.SaveAsync(next);
        Assert.Equal("usn:9999", (await store.LoadAsync()).Watermark);
        Assert.False(File.Exists(StatePath + ".tmp"));
    }

    [Fact]
    public async Task FileStore_CorruptedByte_IsDetectedWithTheFileName()
    {
        using var store = new FileSyncStateStore(StatePath);
        await store.SaveAsync(SampleState());
        byte[] bytes = await File.ReadAllBytesAsync(StatePath);
        int position = Array.LastIndexOf(bytes, (byte)'4');
        bytes[position] = (byte)'5';
        await File.WriteAllBytesAsync(StatePath, bytes);

        var e = await Assert.ThrowsAsync<SyncStateCorruptedException>(() => store.LoadAsync().AsTask());
        Assert.Contains(StatePath, e.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
        Assert.Equal(StatePath, e.FilePath);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(90)]
    public async Task FileStore_TruncatedFile_IsDetected(int keep)
    {
        using var store = new FileSyncStateStore(StatePath);
        await store.SaveAsync(SampleState());
        byte[] bytes = await File.ReadAllBytesAsync(StatePath);
        await File.WriteAllBytesAsync(StatePath, bytes.AsSpan(0, Math.Min(keep, bytes.Length - 1)).ToArray());

        await Assert.ThrowsAsync<SyncStateCorruptedException>(() => store.LoadAsync().AsTask());
    }

    [Fact]
    public async Task FileStore_ValidChecksumOverBadContent_IsDetected()
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        byte[] payload = Encoding.UTF8.GetBytes("{\"FormatVersion\":1,\"RetryQueue\":[{\"Anchor\":\"x\",\"Attempts\":0}]}");
        string header = "PHSSYNCSTATE 1 sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload)) + "\n";
        await File.WriteAllBytesAsync(StatePath, [.. Encoding.ASCII.GetBytes(header), .. payload]);

        using var store = new FileSyncStateStore(StatePath);
        var e = await Assert.ThrowsAsync<SyncStateCorruptedException>(() => store.LoadAsync().AsTask());
        Assert.Contains("retry entry", e.Message, StringComparison.Ordinal);
    }

    // Secrets are never persisted: only anchors, times and flags.
    [Fact]
    public async Task FileStore_AfterARealSync_HoldsNoHashOrDigest()
    {
        var directory = new SyncMemoryDirectory();
        directory.Put(User("alice", "Pa$$w0rd"));
        var exporter = new RecordingPasswordHashExporter { FailWhen = _ => true };
        using var store = new FileSyncStateStore(StatePath);
        var settings = new PasswordHashSyncSettings();
        await new PasswordSyncRunner(directory, exporter, store, new SyncPlanner(), settings, new SyncManualTimeProvider(T0)).RunCycleAsync();

        string text = await File.ReadAllTextAsync(StatePath);
        Assert.Contains("RetryQueue", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(ReferenceNtHash("Pa$$w0rd")), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(ReferenceNtHash("Pa$$w0rd")), text, StringComparison.Ordinal);
        Assert.DoesNotContain("PPH1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InMemoryStore_ReturnsCopies()
    {
        var store = new InMemorySyncStateStore();
        SyncState state = SampleState();
        await store.SaveAsync(state);
        state.Watermark = "changed after save";
        SyncState loaded = await store.LoadAsync();
        loaded.Users.Clear();

        AssertSameState(SampleState(), await store.LoadAsync());
    }

    [Fact]
    public void FileStore_RejectsAnEmptyPath() =>
        Assert.Throws<ArgumentException>(() => new FileSyncStateStore(" "));
}
