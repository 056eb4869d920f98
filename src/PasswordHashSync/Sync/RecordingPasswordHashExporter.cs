using System.Collections.Concurrent;

namespace PasswordHashSync.Sync;

/// <summary>
/// An exporter that records what it receives and fails on demand: for tests, dry runs and simulations. Keeps the
/// cloud records (secret-free apart from the salted digest); managed-domain records are only counted.
/// </summary>
public sealed class RecordingPasswordHashExporter : IPasswordHashExporter
{
    private readonly ConcurrentQueue<CloudPasswordRecord> _exported = new();
    private int _heartbeats;
    private int _batches;
    private int _managedDomainRecords;

    /// <summary>When set, users for which it returns <see langword="true"/> fail.</summary>
    public Func<SyncDecision, bool>? FailWhen { get; set; }

    /// <summary>When <see langword="true"/>, every batch throws (a whole-batch failure).</summary>
    public bool FailAll { get; set; }

    /// <summary>Every accepted cloud record, in order.</summary>
    public IReadOnlyCollection<CloudPasswordRecord> Exported => _exported;

    /// <summary>How many batches were received (including failed ones).</summary>
    public int BatchCount => _batches;

    /// <summary>How many managed-domain records were accepted.</summary>
    public int ManagedDomainRecordCount => _managedDomainRecords;

    /// <summary>How many heartbeats were received.</summary>
    public int HeartbeatCount => _heartbeats;

    /// <summary>The largest batch received.</summary>
    public int LargestBatch { get; private set; }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SyncExportResult>> ExportAsync(IReadOnlyList<SyncDecision> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _batches);
        LargestBatch = Math.Max(LargestBatch, batch.Count);
        if (FailAll)
        {
            throw new InvalidOperationException("The recording exporter was told to fail every batch.");
        }

        var results = new List<SyncExportResult>(batch.Count);
        foreach (SyncDecision decision in batch)
        {
            if (FailWhen?.Invoke(decision) == true || decision.CloudRecord is null)
            {
                results.Add(SyncExportResult.Failure(decision.SourceAnchor, "Failure requested by the test."));
                continue;
            }

            _exported.Enqueue(decision.CloudRecord);
            if (decision.ManagedDomainRecord is not null)
            {
                Interlocked.Increment(ref _managedDomainRecords);
            }

            results.Add(SyncExportResult.Success(decision.SourceAnchor));
        }

        return ValueTask.FromResult<IReadOnlyList<SyncExportResult>>(results);
    }

    /// <inheritdoc />
    public ValueTask SendHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _heartbeats);
        return ValueTask.CompletedTask;
    }
}
