using System.Diagnostics.Metrics;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests.Agent;

/// <summary>The PasswordHashSync meter, read as dotnet-counters reads it (a MeterListener on the instruments).</summary>
public sealed class AgentMetricsTests
{
    [Fact]
    public async Task Meter_CountsSyncedSkippedRetried_TimesCycles_AndReportsTheLastSuccess()
    {
        using var metrics = new PasswordHashSyncMetrics();
        var measurements = new List<(string Name, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => measurements.Add((i.Name, v)));
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => measurements.Add((i.Name, v)));
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => measurements.Add((i.Name, v)));
        listener.Start();

        var directory = new SyncMemoryDirectory();
        directory.Put(User("alice"));
        directory.Put(User("bob"));
        directory.Put(User("carol", uac: PasswordHashSync.Directory.UserAccountControl.NormalAccount | PasswordHashSync.Directory.UserAccountControl.AccountDisabled));
        var exporter = new RecordingPasswordHashExporter { FailWhen = d => d.SamAccountName == "bob" };
        var time = new SyncManualTimeProvider(T0);
        var runner = new PasswordSyncRunner(directory, exporter, new InMemorySyncStateStore(), new SyncPlanner(new SyncFakeKerberosKeyExtractor()), new PasswordHashSyncSettings(), time, null, null, metrics);

        await runner.RunCycleAsync();
        listener.RecordObservableInstruments();

        Assert.Equal(MeterName, metrics.Meter.Name);
        Assert.Equal(1, Sum(measurements, "passwordhashsync.users.synced"));
        Assert.Equal(1, Sum(measurements, "passwordhashsync.users.skipped"));
        Assert.Equal(1, Sum(measurements, "passwordhashsync.users.retried"));
        Assert.Single(measurements, m => m.Name == "passwordhashsync.cycle.duration");
        Assert.Equal(T0.ToUnixTimeMilliseconds() / 1000.0, measurements.Single(m => m.Name == "passwordhashsync.cycle.last_success").Value);
        Assert.Equal(1, measurements.Single(m => m.Name == "passwordhashsync.retry_queue.length").Value);

        directory.Unreachable = true;
        await Assert.ThrowsAsync<IOException>(() => runner.RunCycleAsync());
        Assert.Equal(1, Sum(measurements, "passwordhashsync.cycles.failed"));
    }

    private const string MeterName = PasswordHashSyncMetrics.MeterName;

    private static double Sum(List<(string Name, double Value)> measurements, string name) =>
        measurements.Where(m => m.Name == name).Sum(m => m.Value);
}
