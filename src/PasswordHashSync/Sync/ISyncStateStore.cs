namespace PasswordHashSync.Sync;

/// <summary>Persists <see cref="SyncState"/> between cycles and across restarts.</summary>
public interface ISyncStateStore
{
    /// <summary>Loads the last saved state, or a new empty state when none was saved.</summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>A state the caller may change freely (a copy).</returns>
    /// <exception cref="SyncStateCorruptedException">The saved state is unreadable.</exception>
    ValueTask<SyncState> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves the state atomically: after a crash either the old or the new state is loaded, never a mix.</summary>
    /// <param name="state">The state (copied).</param>
    /// <param name="cancellationToken">Cancels the save (the old state stays).</param>
    /// <returns>A task that completes when the state is durable.</returns>
    ValueTask SaveAsync(SyncState state, CancellationToken cancellationToken = default);
}
