using System.Diagnostics.Metrics;

namespace PasswordHashSync.Sync;

/// <summary>
/// The sync engine's metrics on the meter <see cref="MeterName"/> (readable with
/// <c>dotnet-counters monitor --counters PasswordHashSync</c>): users synced, skipped and retried, the cycle duration
/// and the time of the last successful cycle. One instance per runner; pass it to <see cref="PasswordSyncRunner"/>.
/// </summary>
public sealed class PasswordHashSyncMetrics : IDisposable
{
    /// <summary>The meter name, <c>PasswordHashSync</c>.</summary>
    public const string MeterName = "PasswordHashSync";

    private readonly Counter<long> _synced;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _failedCycles;
    private readonly Histogram<double> _cycleDuration;
    private long _lastSuccessUnixMilliseconds = -1;
    private int _retryQueueLength;

    /// <summary>Creates the instruments on a new meter.</summary>
    /// <param name="meterFactory">The host's meter factory (the meter is then owned by it), or <see langword="null"/> for a meter of this instance's own.</param>
    public PasswordHashSyncMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _synced = Meter.CreateCounter<long>("passwordhashsync.users.synced", "{user}", "Users whose password record was exported.");
        _skipped = Meter.CreateCounter<long>("passwordhashsync.users.skipped", "{user}", "Users a sync rule kept from synchronizing.");
        _retried = Meter.CreateCounter<long>("passwordhashsync.users.retried", "{user}", "Failed exports put in (or kept in) the retry queue.");
        _failedCycles = Meter.CreateCounter<long>("passwordhashsync.cycles.failed", "{cycle}", "Cycles that failed (directory unreachable, state unreadable ...).");
        _cycleDuration = Meter.CreateHistogram<double>("passwordhashsync.cycle.duration", "s", "Duration of completed cycles.");
        Meter.CreateObservableGauge("passwordhashsync.cycle.last_success", ObserveLastSuccess, "s", "Unix time of the last successful cycle (absent before the first).");
        Meter.CreateObservableGauge("passwordhashsync.retry_queue.length", () => Volatile.Read(ref _retryQueueLength), "{user}", "Users waiting in the retry queue after the last cycle.");
    }

    /// <summary>The meter the instruments belong to (listeners match on it).</summary>
    internal Meter Meter { get; }

    /// <summary>Disposes the meter (when this instance created it).</summary>
    public void Dispose() => Meter.Dispose();

    internal void UsersSynced(int count, bool fullSync) => Add(_synced, count, fullSync);

    internal void UsersSkipped(int count, bool fullSync) => Add(_skipped, count, fullSync);

    internal void UsersRetried(int count, bool fullSync) => Add(_retried, count, fullSync);

    internal void CycleFailed() => _failedCycles.Add(1);

    internal void CycleCompleted(SyncCycleKind kind, TimeSpan duration, DateTimeOffset completedAt, int retryQueueLength)
    {
        _cycleDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", kind.ToString()));
        Volatile.Write(ref _retryQueueLength, retryQueueLength);
        if (kind is SyncCycleKind.Incremental or SyncCycleKind.Full)
        {
            Volatile.Write(ref _lastSuccessUnixMilliseconds, completedAt.ToUnixTimeMilliseconds());
        }
    }

    private static void Add(Counter<long> counter, int count, bool fullSync)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>("cycle", fullSync ? "full" : "incremental"));
        }
    }

    private IEnumerable<Measurement<double>> ObserveLastSuccess()
    {
        long value = Volatile.Read(ref _lastSuccessUnixMilliseconds);
        return value < 0 ? [] : [new Measurement<double>(value / 1000.0)];
    }
}
