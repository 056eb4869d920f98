namespace PasswordHashSync.Sync;

/// <summary>The outcome of exporting one user.</summary>
/// <param name="SourceAnchor">The user's source anchor.</param>
/// <param name="Succeeded">Whether the target accepted the record (also when it kept a newer value of its own).</param>
/// <param name="Error">A short, secret-free error description when it failed.</param>
public sealed record SyncExportResult(string SourceAnchor, bool Succeeded, string? Error = null)
{
    /// <summary>A success for <paramref name="sourceAnchor"/>.</summary>
    /// <param name="sourceAnchor">The source anchor.</param>
    /// <returns>The result.</returns>
    public static SyncExportResult Success(string sourceAnchor) => new(sourceAnchor, true);

    /// <summary>A failure for <paramref name="sourceAnchor"/>.</summary>
    /// <param name="sourceAnchor">The source anchor.</param>
    /// <param name="error">What went wrong, without secrets.</param>
    /// <returns>The result.</returns>
    public static SyncExportResult Failure(string sourceAnchor, string error) => new(sourceAnchor, false, error);
}
