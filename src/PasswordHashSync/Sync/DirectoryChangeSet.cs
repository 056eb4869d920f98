using PasswordHashSync.Directory;

namespace PasswordHashSync.Sync;

/// <summary>The users changed since a watermark, and the watermark to resume from next time.</summary>
/// <param name="Users">The changed users.</param>
/// <param name="Watermark">The new watermark (opaque to the engine).</param>
public sealed record DirectoryChangeSet(IReadOnlyList<DirectoryUser> Users, string? Watermark);
