using Microsoft.Extensions.Logging;

namespace PasswordHashSync.Sync;

/// <summary>
/// Every log event of the sync engine, with its stable event ID (docs/agent.md lists them with the agent's). IDs are
/// never reused or renumbered: monitoring rules match on them. Messages name users by distinguished name and source
/// anchor, errors by exception type and message; they never carry a hash, key, digest or password.
/// </summary>
/// <remarks>
/// The ranges: 1000-1009 cycles, 1010-1019 failures, 1020-1029 per-user outcomes, 1030-1039 retry queue,
/// 1040-1049 heartbeat, 1050-1059 full sync. The product's own event IDs (TSHOOT, KB 2855271) are cited where one exists.
/// </remarks>
internal static partial class SyncLog
{
    public const int CycleCompletedId = 1000;
    public const int CyclePausedId = 1001;
    public const int CycleFailedId = 1002;
    public const int DirectoryUnreachableId = 1010;
    public const int ReplicationAccessDeniedId = 1011;
    public const int ExportFailedId = 1012;
    public const int UserExportRejectedId = 1013;
    public const int StateCorruptedId = 1014;
    public const int UserSkippedId = 1020;
    public const int UserSyncedId = 1021;
    public const int RetryScheduledId = 1030;
    public const int RetryCompletedId = 1031;
    public const int RetryDroppedId = 1032;
    public const int HeartbeatSentId = 1040;
    public const int HeartbeatFailedId = 1041;
    public const int FullSyncStartedId = 1050;
    public const int FullSyncFinishedId = 1051;
    public const int FullSyncInterruptedId = 1052;
    public const int FullSyncRequestedId = 1053;

    [LoggerMessage(EventId = CycleCompletedId, EventName = "CycleCompleted", Level = LogLevel.Information,
        Message = "Password sync cycle ({Kind}) completed in {DurationMs} ms: {Exported} exported, {Skipped} skipped, {Unchanged} unchanged, {Failed} failed; retry queue {RetryQueueLength}.")]
    public static partial void CycleCompleted(ILogger logger, SyncCycleKind kind, long durationMs, int exported, int skipped, int unchanged, int failed, int retryQueueLength);

    // Product: staging (event 611 text "server is in staging mode"), 613 (directory full sync not completed), 652/655 (disabled).
    [LoggerMessage(EventId = CyclePausedId, EventName = "CyclePaused", Level = LogLevel.Warning,
        Message = "Password sync is paused, nothing was sent and the watermark did not move: {Reasons}. Remedy: {Remedy}")]
    public static partial void CyclePaused(ILogger logger, string reasons, string remedy);

    [LoggerMessage(EventId = CycleFailedId, EventName = "CycleFailed", Level = LogLevel.Error,
        Message = "Password sync cycle failed ({ErrorType}: {ErrorMessage}). Nothing was lost: the watermark did not move and the next cycle tries again.")]
    public static partial void CycleFailed(ILogger logger, string errorType, string errorMessage);

    // Product: event 611 (RPC errors calling IDL_DRSGetNCChanges), 616.
    [LoggerMessage(EventId = DirectoryUnreachableId, EventName = "DirectoryUnreachable", Level = LogLevel.Error,
        Message = "The directory could not be read ({ErrorType}: {ErrorMessage}). Check that the domain controller is up and reachable from this server (DNS, firewall: ports 135, 389, 88 and the dynamic RPC range). The next cycle tries again.")]
    public static partial void DirectoryUnreachable(ILogger logger, string errorType, string errorMessage);

    // Product: TSHOOT "AD DS account lacks permissions"; KB 2855271 (Replicating Directory Changes / ... All).
    [LoggerMessage(EventId = ReplicationAccessDeniedId, EventName = "ReplicationAccessDenied", Level = LogLevel.Error,
        Message = "The directory refused the replication request ({ErrorType}: {ErrorMessage}). Grant the connector account 'Replicating Directory Changes' and 'Replicating Directory Changes All' on the domain naming context, and check its password. The next cycle tries again.")]
    public static partial void ReplicationAccessDenied(ILogger logger, string errorType, string errorMessage);

    [LoggerMessage(EventId = ExportFailedId, EventName = "ExportFailed", Level = LogLevel.Error,
        Message = "Export of a batch of {Count} users failed ({ErrorType}: {ErrorMessage}). Every user of the batch is in the retry queue; check the target (outbox directory space and permissions, or the cloud endpoint).")]
    public static partial void ExportFailed(ILogger logger, int count, string errorType, string errorMessage);

    [LoggerMessage(EventId = UserExportRejectedId, EventName = "UserExportRejected", Level = LogLevel.Warning,
        Message = "The target did not accept the password of {DistinguishedName} (anchor {SourceAnchor}): {Error}. The user is in the retry queue.")]
    public static partial void UserExportRejected(ILogger logger, string distinguishedName, string sourceAnchor, string error);

    [LoggerMessage(EventId = StateCorruptedId, EventName = "StateCorrupted", Level = LogLevel.Critical,
        Message = "The sync state is unreadable: {ErrorMessage} Password sync stops until it is restored from a backup or deleted (deleting it starts over with a full sync).")]
    public static partial void StateCorrupted(ILogger logger, string errorMessage);

    // Product: the object log / status column of TSHOOT (FilteredByTarget, TemporaryPassword ...).
    [LoggerMessage(EventId = UserSkippedId, EventName = "UserSkipped", Level = LogLevel.Information,
        Message = "The password of {DistinguishedName} (anchor {SourceAnchor}) is not synchronized: status {Status}, reasons {Reasons}. Remedy: {Remedy}")]
    public static partial void UserSkipped(ILogger logger, string distinguishedName, string sourceAnchor, PasswordSyncStatus status, string reasons, string remedy);

    [LoggerMessage(EventId = UserSyncedId, EventName = "UserSynced", Level = LogLevel.Debug,
        Message = "The password of {DistinguishedName} (anchor {SourceAnchor}), changed {ChangeTime:O}, was exported with status {Status}.")]
    public static partial void UserSynced(ILogger logger, string distinguishedName, string sourceAnchor, DateTimeOffset changeTime, PasswordSyncStatus status);

    // Product: event 605 ("items are added to the retry queue") and event 0 ("... scheduled for retry").
    [LoggerMessage(EventId = RetryScheduledId, EventName = "RetryScheduled", Level = LogLevel.Warning,
        Message = "The password change of {DistinguishedName} (anchor {SourceAnchor}) is in the retry queue: attempt {Attempts} failed, next attempt at {NextAttempt:O}.")]
    public static partial void RetryScheduled(ILogger logger, string distinguishedName, string sourceAnchor, int attempts, DateTimeOffset nextAttempt);

    // Product: event 606 ("items are removed from the retry queue").
    [LoggerMessage(EventId = RetryCompletedId, EventName = "RetryCompleted", Level = LogLevel.Information,
        Message = "{DistinguishedName} (anchor {SourceAnchor}) left the retry queue: its password was exported.")]
    public static partial void RetryCompleted(ILogger logger, string distinguishedName, string sourceAnchor);

    [LoggerMessage(EventId = RetryDroppedId, EventName = "RetryDropped", Level = LogLevel.Information,
        Message = "The user with anchor {SourceAnchor} left the retry queue: it no longer exists in the directory.")]
    public static partial void RetryDropped(ILogger logger, string sourceAnchor);

    // Product: event 654 (End of Password Sync ping).
    [LoggerMessage(EventId = HeartbeatSentId, EventName = "Heartbeat", Level = LogLevel.Information,
        Message = "Password sync heartbeat: the channel is up and no password changed.")]
    public static partial void HeartbeatSent(ILogger logger);

    // Product: event 655.
    [LoggerMessage(EventId = HeartbeatFailedId, EventName = "HeartbeatFailed", Level = LogLevel.Warning,
        Message = "The password sync heartbeat could not be sent ({ErrorType}: {ErrorMessage}); it is tried again at the next idle cycle. Check the target.")]
    public static partial void HeartbeatFailed(ILogger logger, string errorType, string errorMessage);

    // Product: events 617/618.
    [LoggerMessage(EventId = FullSyncStartedId, EventName = "FullSyncStarted", Level = LogLevel.Information,
        Message = "Full password sync started ({Why}): every in-scope user's current password is sent again.")]
    public static partial void FullSyncStarted(ILogger logger, string why);

    // Product: events 622/623.
    [LoggerMessage(EventId = FullSyncFinishedId, EventName = "FullSyncFinished", Level = LogLevel.Information,
        Message = "Full password sync finished: {Processed} users read, {Exported} exported, {Skipped} skipped, {Failed} failed (in the retry queue).")]
    public static partial void FullSyncFinished(ILogger logger, int processed, int exported, int skipped, int failed);

    // Product: event 621.
    [LoggerMessage(EventId = FullSyncInterruptedId, EventName = "FullSyncInterrupted", Level = LogLevel.Warning,
        Message = "Full password sync was interrupted after {Processed} users; what was sent is kept and the next cycle runs the full sync again.")]
    public static partial void FullSyncInterrupted(ILogger logger, int processed);

    [LoggerMessage(EventId = FullSyncRequestedId, EventName = "FullSyncRequested", Level = LogLevel.Information,
        Message = "A full password sync was requested and saved in the state; the next cycle runs it.")]
    public static partial void FullSyncRequested(ILogger logger);
}
