namespace PasswordHashSync.Sync;

/// <summary>Progress of a full sync, reported after every batch (the product's event 619).</summary>
/// <param name="Processed">Users read so far.</param>
/// <param name="Exported">Users sent so far.</param>
/// <param name="Skipped">Users kept from synchronizing by a rule so far.</param>
/// <param name="Failed">Users whose export failed so far (queued for retry).</param>
public readonly record struct FullSyncProgress(int Processed, int Exported, int Skipped, int Failed);
