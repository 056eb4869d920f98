using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// The agent's target: every exported batch becomes one outbox segment of JSON lines, the same records as
/// <c>pwsync sync --output</c>. A batch succeeds only once its segment is durable, so the runner saves the watermark
/// after the records are on disk: a crash at any point re-sends (at least once), never skips.
/// </summary>
internal sealed class OutboxExporter : IPasswordHashExporter
{
    private readonly RecordOutbox _outbox;
    private readonly ILogger _logger;

    /// <summary>Creates the exporter.</summary>
    /// <param name="outbox">The outbox.</param>
    /// <param name="logger">The agent's logger.</param>
    public OutboxExporter(RecordOutbox outbox, ILogger logger)
    {
        _outbox = outbox;
        _logger = logger;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SyncExportResult>> ExportAsync(IReadOnlyList<SyncDecision> batch, CancellationToken cancellationToken)
    {
        // Sized so it rarely grows: a grown MemoryStream leaves its old (unzeroed) buffer to the collector.
        var buffer = new MemoryStream(batch.Count * 4096);
        try
        {
            using (var writer = new SyncRecordWriter(buffer))
            {
                foreach (SyncDecision decision in batch)
                {
                    writer.Write(decision);
                }
            }

            string segment;
            try
            {
                segment = await _outbox.WriteSegmentAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                string type = e.GetType().Name;
                AgentLog.OutboxWriteFailed(_logger, _outbox.DirectoryPath, type, e.Message);
                throw;
            }

            string name = Path.GetFileName(segment);
            AgentLog.SegmentWritten(_logger, name, batch.Count);
            return [.. batch.Select(d => SyncExportResult.Success(d.SourceAnchor))];
        }
        finally
        {
            // The records hold digests (and, for the managed domain, NT hashes and Kerberos keys).
            CryptographicOperations.ZeroMemory(buffer.GetBuffer());
            await buffer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask SendHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
