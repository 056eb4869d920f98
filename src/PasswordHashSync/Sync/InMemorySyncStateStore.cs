namespace PasswordHashSync.Sync;

/// <summary>Keeps the state in memory (lost when the process ends); the default store and the one for tests.</summary>
public sealed class InMemorySyncStateStore : ISyncStateStore
{
    private readonly Lock _gate = new();
    private SyncState? _saved;

    /// <inheritdoc />
    public ValueTask<SyncState> LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_saved?.Clone() ?? new SyncState());
        }
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(SyncState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _saved = state.Clone();
        }

        return ValueTask.CompletedTask;
    }
}
