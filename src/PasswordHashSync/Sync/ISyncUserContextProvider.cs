using PasswordHashSync.Directory;

namespace PasswordHashSync.Sync;

/// <summary>Supplies the connector-space and cloud state of a user (whether it is filtered, provisioned, exported).</summary>
/// <remarks>
/// <see cref="PasswordSyncRunner"/> calls it from its planning task, one user at a time and in source order, while the
/// exporter may be sending earlier users of the same cycle.
/// </remarks>
public interface ISyncUserContextProvider
{
    /// <summary>The context of <paramref name="user"/>.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The context; <see cref="SyncUserContext.Default"/> for a normally provisioned user.</returns>
    SyncUserContext GetContext(DirectoryUser user);
}
