using System.Runtime.CompilerServices;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The exporter of <c>pwsync sync --dc</c>: every record the runner sends is written as one JSON line (the same record
/// as <c>pwsync sync --output</c>) and accepted, or only accepted when no output is given. The sAMAccountName for each
/// record comes from <see cref="NameRecordingSource"/>, which remembers only names, never secrets.
/// </summary>
internal sealed class RecordsExporter(SyncRecordWriter? writer, NameRecordingSource names) : IPasswordHashExporter
{
    /// <summary>How many records were accepted.</summary>
    public int Count { get; private set; }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SyncExportResult>> ExportAsync(IReadOnlyList<SyncDecision> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var results = new List<SyncExportResult>(batch.Count);
        foreach (SyncDecision decision in batch)
        {
            writer?.Write(new DirectoryUser { DistinguishedName = decision.DistinguishedName, ObjectClasses = [], SamAccountName = names.NameOf(decision.SourceAnchor) }, decision);
            results.Add(SyncExportResult.Success(decision.SourceAnchor));
            Count++;
        }

        return ValueTask.FromResult<IReadOnlyList<SyncExportResult>>(results);
    }

    /// <inheritdoc />
    public ValueTask SendHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>Passes a directory source through and remembers each user's sAMAccountName by source anchor (for reports).</summary>
internal sealed class NameRecordingSource(IDirectoryChangeSource inner) : IDirectoryChangeSource
{
    private readonly Dictionary<string, string?> _names = new(StringComparer.Ordinal);

    /// <summary>The sAMAccountName (or DN) of a user seen, or <see langword="null"/>.</summary>
    /// <param name="sourceAnchor">The anchor.</param>
    /// <returns>The name.</returns>
    public string? NameOf(string sourceAnchor) => _names.GetValueOrDefault(sourceAnchor);

    /// <inheritdoc />
    public async ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken)
    {
        DirectoryChangeSet changes = await inner.GetChangesAsync(watermark, cancellationToken).ConfigureAwait(false);
        foreach (DirectoryUser user in changes.Users)
        {
            Remember(user);
        }

        return changes;
    }

    /// <inheritdoc />
    public ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken) => inner.GetCurrentWatermarkAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken)
    {
        DirectoryUser? user = await inner.GetUserAsync(sourceAnchor, cancellationToken).ConfigureAwait(false);
        if (user is not null)
        {
            Remember(user);
        }

        return user;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DirectoryUser> GetAllUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (DirectoryUser user in inner.GetAllUsersAsync(cancellationToken).ConfigureAwait(false))
        {
            Remember(user);
            yield return user;
        }
    }

    /// <inheritdoc />
    /// <remarks>Forwarded, so a live-DC source zeroes the users' secrets once the runner is done with them.</remarks>
    public void ReleaseUsers(IReadOnlyList<DirectoryUser> users) => inner.ReleaseUsers(users);

    private void Remember(DirectoryUser user) => _names[SyncPlanner.GetSourceAnchor(user)] = user.SamAccountName ?? user.DistinguishedName;
}
