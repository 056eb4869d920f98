namespace PasswordHashSync.Sync;

/// <summary>One of the last errors the engine recorded in the state (for <c>pwsync agent status</c>); holds no secret.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="Message">What happened: the failure and the exception type and message, or the user and the target's error.</param>
public sealed record SyncErrorEntry(DateTimeOffset Time, string Message);
