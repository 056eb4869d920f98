// REFERENCE COPY, do not change: PasswordSyncRunner as it was before the block pipeline (main at 3de9e3a), the
// sequential one-batch-after-the-other runner. SyncRunnerEquivalenceProperties compares the pipelined runner with it.
// Only the names (class, namespace) and the usings changed; the logic is the original's line for line.
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PasswordHashSync.Sync;

namespace PasswordHashSync.PropertyTests.Reference;

// The runner's logging, metrics and failure bookkeeping, kept apart from the cycle logic it observes.
internal sealed partial class ReferencePasswordSyncRunner
{
    /// <summary>What kind of failure an exception from the directory source is, for the event an administrator sees.</summary>
    internal enum FailureKind
    {
        Other,
        DirectoryUnreachable,
        AccessDenied,
        StateCorrupted,
    }

    /// <summary>
    /// Classifies a cycle failure by the exception and its inner exceptions: access refused (the replication rights are
    /// missing), the directory unreachable (network, timeouts, I/O), a corrupted state, or anything else.
    /// </summary>
    internal static FailureKind Classify(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SyncStateCorruptedException:
                    return FailureKind.StateCorrupted;
                case UnauthorizedAccessException:
                    return FailureKind.AccessDenied;
                case SocketException or TimeoutException or IOException:
                    return FailureKind.DirectoryUnreachable;
            }
        }

        return FailureKind.Other;
    }

    private void OnCycleCompleted(SyncCycleReport report, TimeSpan duration)
    {
        if (report.Kind == SyncCycleKind.Paused)
        {
            string reasons = string.Join(", ", report.PauseReasons);
            string remedy = string.Join(" ", report.PauseReasons.Select(SyncReasons.GetRemedy));
            SyncLog.CyclePaused(_logger, reasons, remedy);
        }
        else
        {
            SyncLog.CycleCompleted(_logger, report.Kind, (long)duration.TotalMilliseconds, report.Exported, report.Skipped, report.Unchanged, report.Failed, report.RetryQueueLength);
        }

        _metrics?.UsersSkipped(report.Skipped, report.Kind == SyncCycleKind.Full);
        _metrics?.CycleCompleted(report.Kind, duration, _time.GetUtcNow(), report.RetryQueueLength);
    }

    private async Task OnCycleFailedAsync(Exception exception)
    {
        _metrics?.CycleFailed();
        string type = exception.GetType().Name;
        FailureKind kind = Classify(exception);
        switch (kind)
        {
            case FailureKind.StateCorrupted:
                SyncLog.StateCorrupted(_logger, exception.Message);
                return; // Nothing can be recorded in a state that cannot be read.
            case FailureKind.AccessDenied:
                SyncLog.ReplicationAccessDenied(_logger, type, exception.Message);
                break;
            case FailureKind.DirectoryUnreachable:
                SyncLog.DirectoryUnreachable(_logger, type, exception.Message);
                break;
            default:
                SyncLog.CycleFailed(_logger, type, exception.Message);
                break;
        }

        // Best effort: the failure goes into the saved state for 'pwsync agent status'. Only the error list changes, so
        // the watermark and the retry queue stay exactly as the last completed cycle left them.
        try
        {
            SyncState state = await _store.LoadAsync(CancellationToken.None).ConfigureAwait(false);
            state.RecordError(_time.GetUtcNow(), $"Cycle failed ({kind}): {type}: {exception.Message}");
            await _store.SaveAsync(state, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SyncStateCorruptedException or ObjectDisposedException)
        {
            // The store itself is failing; the log event above is the record.
        }
    }

    private void LogSkipped(SyncDecision decision)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        string reasons = string.Join(", ", decision.Reasons);
        string remedy = string.Join(" ", decision.Reasons.Where(SyncReasons.PreventsSync).Select(SyncReasons.GetRemedy));
        SyncLog.UserSkipped(_logger, decision.DistinguishedName, decision.SourceAnchor, decision.Status, reasons, remedy);
    }

    private void MarkCompleted(SyncState state, SyncCycleReport report)
    {
        state.LastCycleCompleted = _time.GetUtcNow();
        state.LastCycleKind = report.Kind;
    }
}
