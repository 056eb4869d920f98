using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The exporter of <c>pwsync sync --dc</c>: every record the runner sends is written as one JSON line (the same record
/// as <c>pwsync sync --output</c>) and accepted, or only accepted when no output is given. The sAMAccountName for each
/// record travels with its decision (<see cref="SyncDecision.SamAccountName"/>, the DN when the directory gave none), so
/// nothing remembers every user's name.
/// </summary>
internal sealed class RecordsExporter(SyncRecordWriter? writer) : IPasswordHashExporter
{
    /// <summary>How many records were accepted.</summary>
    public int Count { get; private set; }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SyncExportResult>> ExportAsync(IReadOnlyList<SyncDecision> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var results = new List<SyncExportResult>(batch.Count);
        foreach (SyncDecision decision in batch)
        {
            writer?.Write(new DirectoryUser { DistinguishedName = decision.DistinguishedName, ObjectClasses = [], SamAccountName = decision.SamAccountName ?? decision.DistinguishedName }, decision);
            results.Add(SyncExportResult.Success(decision.SourceAnchor));
            Count++;
        }

        return ValueTask.FromResult<IReadOnlyList<SyncExportResult>>(results);
    }

    /// <inheritdoc />
    public ValueTask SendHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
