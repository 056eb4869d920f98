using Microsoft.Extensions.Logging;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// Every log event of <c>pwsync agent</c> itself, with its stable event ID (2000-2099; 2002 and 2003 are retired, never reuse them; the engine's are 1000-1099 in
/// PasswordHashSync.Sync.SyncLog). docs/agent.md lists both. No message carries a hash, key, digest or password.
/// </summary>
internal static partial class AgentLog
{
    public const int StartedId = 2000;
    public const int StoppingId = 2001;
    public const int SegmentWrittenId = 2004;
    public const int OutboxWriteFailedId = 2005;
    public const int FatalId = 2006;
    public const int FullSyncRequestPickedUpId = 2007;
    public const int OnceCompletedId = 2008;
    public const int KerberosFallbackId = 2009;

    [LoggerMessage(EventId = StartedId, EventName = "AgentStarted", Level = LogLevel.Information,
        Message = "pwsync agent started: state {StatePath}, outbox {OutboxDirectory}, source {Source}, a cycle every {CycleInterval}.")]
    public static partial void Started(ILogger logger, string statePath, string outboxDirectory, string source, TimeSpan cycleInterval);

    [LoggerMessage(EventId = StoppingId, EventName = "AgentStopping", Level = LogLevel.Information,
        Message = "pwsync agent is stopping; an unfinished cycle is abandoned and the next start resumes from the last saved watermark.")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = SegmentWrittenId, EventName = "SegmentWritten", Level = LogLevel.Information,
        Message = "Outbox segment {Segment} written with {Count} records.")]
    public static partial void SegmentWritten(ILogger logger, string segment, int count);

    [LoggerMessage(EventId = OutboxWriteFailedId, EventName = "OutboxWriteFailed", Level = LogLevel.Error,
        Message = "Cannot write to the outbox directory {OutboxDirectory} ({ErrorType}: {ErrorMessage}). Check its free space and that the agent's user owns it; the users of the batch are in the retry queue.")]
    public static partial void OutboxWriteFailed(ILogger logger, string outboxDirectory, string errorType, string errorMessage);

    [LoggerMessage(EventId = FatalId, EventName = "AgentFatal", Level = LogLevel.Critical,
        Message = "pwsync agent stops: {ErrorType}: {ErrorMessage}")]
    public static partial void Fatal(ILogger logger, string errorType, string errorMessage);

    [LoggerMessage(EventId = FullSyncRequestPickedUpId, EventName = "FullSyncRequestPickedUp", Level = LogLevel.Information,
        Message = "The full sync request {RequestFile} was taken into the state; this cycle runs the full sync.")]
    public static partial void FullSyncRequestPickedUp(ILogger logger, string requestFile);

    [LoggerMessage(EventId = OnceCompletedId, EventName = "OnceCompleted", Level = LogLevel.Information,
        Message = "pwsync agent --once: the cycle ended ({Kind}); exiting with code {ExitCode}.")]
    public static partial void OnceCompleted(ILogger logger, string kind, int exitCode);

    [LoggerMessage(EventId = KerberosFallbackId, EventName = "KerberosFallbackToNtlm", Level = LogLevel.Warning,
        Message = "Kerberos was not possible ({Reason}); the agent signed in to the domain controller with NTLM. Fix Kerberos (Agent:Source:DomainController:Kdc, Realm, the DC's service principal) or set Auth to Ntlm to make the choice explicit.")]
    public static partial void KerberosFallbackToNtlm(ILogger logger, string reason);
}
