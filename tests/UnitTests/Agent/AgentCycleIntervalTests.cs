using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using PasswordHashSync.Cli.Agent;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests.Agent;

/// <summary>
/// The product's cycle is every 2 minutes and not configurable (PHS-2025: "runs every 2 minutes. You can't modify the
/// frequency"). These tests pin it: the constant, the agent's default, and the runner's timing on a fake clock, so a
/// change to any other value fails.
/// </summary>
public sealed class AgentCycleIntervalTests
{
    [Fact]
    public void DefaultCycleInterval_IsTwoMinutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(2), PasswordHashSyncSettings.DefaultCycleInterval);
        Assert.Equal(TimeSpan.FromMinutes(2), new PasswordHashSyncSettings().CycleInterval);
    }

    [Fact]
    public void AgentConfiguration_WithoutASyncSection_CyclesEveryTwoMinutes()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:StatePath"] = "/tmp/s.json",
            ["Agent:OutboxDirectory"] = "/tmp/outbox",
            ["Agent:Source:LdifPath"] = "/tmp/d.ldif",
        }).Build();

        AgentOptions options = AgentOptions.Bind(configuration);

        Assert.Empty(options.Validate());
        Assert.Equal(TimeSpan.FromMinutes(2), options.Sync.CycleInterval);
    }

    // The runner's loop on a fake clock: after the first cycle it waits exactly 2 minutes, and the second cycle starts then.
    [Fact]
    public async Task RunAsync_WaitsTwoMinutesBetweenCycles()
    {
        var time = new TimerWatchingTimeProvider(T0);
        var directory = new SyncMemoryDirectory();
        directory.Put(User("alice"));
        var runner = new PasswordSyncRunner(directory, new RecordingPasswordHashExporter(), new InMemorySyncStateStore(), new SyncPlanner(new SyncFakeKerberosKeyExtractor()), new PasswordHashSyncSettings(), time);
        var started = new List<DateTimeOffset>();
        using var cts = new CancellationTokenSource();

        Task loop = runner.RunAsync(new SynchronousProgress(r => started.Add(r.StartedAt)), cts.Token);
        Assert.Equal(TimeSpan.FromMinutes(2), await time.NextTimerAsync());
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(TimeSpan.FromMinutes(2), await time.NextTimerAsync());

        await cts.CancelAsync();
        await loop;
        Assert.Equal([T0, T0 + TimeSpan.FromMinutes(2)], started);
    }

    // The agent's own loop (the BackgroundService) with the default options waits 2 minutes after a cycle.
    [Fact]
    public async Task AgentWorker_WithDefaultOptions_WaitsTwoMinutesBetweenCycles()
    {
        var time = new TimerWatchingTimeProvider(T0);
        var directory = new SyncMemoryDirectory();
        directory.Put(User("alice"));
        var options = new AgentOptions { StatePath = Path.Combine(Path.GetTempPath(), "phs-interval-" + Guid.NewGuid().ToString("N"), "state.json") };
        var exporter = new RecordingPasswordHashExporter();
        var runner = new PasswordSyncRunner(directory, exporter, new InMemorySyncStateStore(), new SyncPlanner(new SyncFakeKerberosKeyExtractor()), options.Sync, time);
        using var worker = new AgentWorker(runner, options, new AgentInvocation("unused.json", Once: false, FullSync: false), time, new StubLifetime(), new AgentExitState(), Microsoft.Extensions.Logging.Abstractions.NullLogger<AgentWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromMinutes(2), await time.NextTimerAsync());
        Assert.Single(exporter.Exported);
        await worker.StopAsync(CancellationToken.None);
    }

    private sealed class SynchronousProgress(Action<SyncCycleReport> onReport) : IProgress<SyncCycleReport>
    {
        public void Report(SyncCycleReport value) => onReport(value);
    }

    private sealed class StubLifetime : Microsoft.Extensions.Hosting.IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}

/// <summary>A fake clock that reports every timer armed on it (Task.Delay on a TimeProvider arms one), with its due time.</summary>
internal sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _dueTimes = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        _dueTimes.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits (at most a minute of real time, so a broken loop fails rather than hangs) for the next timer.</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await _dueTimes.Reader.ReadAsync(timeout.Token);
    }
}
