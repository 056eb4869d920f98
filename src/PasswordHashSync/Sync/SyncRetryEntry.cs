namespace PasswordHashSync.Sync;

/// <summary>
/// A user whose export failed and is waiting for a retry. Holds no secret: the retry re-reads the user from the
/// directory, so it sends the newest password state, never a stale one.
/// </summary>
/// <param name="SourceAnchor">The user's source anchor.</param>
/// <param name="Version">The change that failed.</param>
/// <param name="Attempts">How many attempts have failed (1 after the first failure).</param>
/// <param name="NextAttempt">The earliest time of the next attempt.</param>
public sealed record SyncRetryEntry(string SourceAnchor, PasswordChangeVersion Version, int Attempts, DateTimeOffset NextAttempt);
