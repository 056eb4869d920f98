namespace PasswordHashSync.Sync;

/// <summary>
/// Sends password records to the cloud (and the managed domain). Implemented by the integrator: the cloud side is
/// theirs. Calls never overlap.
/// </summary>
public interface IPasswordHashExporter
{
    /// <summary>Sends one batch (1 to 50 users).</summary>
    /// <param name="batch">Decisions whose <see cref="SyncDecision.Action"/> is <see cref="SyncAction.Export"/>.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>
    /// One result per user; a user without a result counts as failed. Throwing fails the whole batch. Failed users go to
    /// the retry queue.
    /// </returns>
    ValueTask<IReadOnlyList<SyncExportResult>> ExportAsync(IReadOnlyList<SyncDecision> batch, CancellationToken cancellationToken);

    /// <summary>Sends the idle heartbeat (the product's event 654, every 30 minutes when nothing changed).</summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the heartbeat.</param>
    /// <returns>A task that completes when the heartbeat was accepted.</returns>
    ValueTask SendHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
