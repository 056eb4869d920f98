using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// Wraps a directory source and records, per cycle, the users it handed the runner (copies of sAMAccountName, NT hash
/// and supplementalCredentials), so tests can compare what a cycle delivered with what the DC stores.
/// </summary>
/// <param name="inner">The source under test.</param>
internal sealed class RecordingChangeSource(IDirectoryChangeSource inner) : IDirectoryChangeSource
{
    /// <summary>One delivered user.</summary>
    /// <param name="SamAccountName">The account.</param>
    /// <param name="NtHash">Its NT hash.</param>
    /// <param name="SupplementalCredentials">Its decrypted supplementalCredentials.</param>
    /// <param name="Incremental">Whether it came from an incremental change set (else a full sync or a retry).</param>
    public sealed record Delivered(string SamAccountName, byte[] NtHash, byte[] SupplementalCredentials, bool Incremental);

    // The runner enumerates a full sync on its own task, while its exporter runs: additions and reads are locked.
    private readonly Lock _gate = new();
    private readonly List<Delivered> _delivered = [];

    /// <summary>Every user handed on so far, in order (a snapshot).</summary>
    public IReadOnlyList<Delivered> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _delivered];
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken)
    {
        DirectoryChangeSet changes = await inner.GetChangesAsync(watermark, cancellationToken);
        if (changes.FullSyncReason is null)
        {
            Add(changes.Users.Select(u => Copy(u, incremental: true)));
        }

        return changes;
    }

    /// <inheritdoc />
    public ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken) => inner.GetCurrentWatermarkAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken)
    {
        DirectoryUser? user = await inner.GetUserAsync(sourceAnchor, cancellationToken);
        if (user is not null)
        {
            Add([Copy(user, incremental: false)]);
        }

        return user;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DirectoryUser> GetAllUsersAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (DirectoryUser user in inner.GetAllUsersAsync(cancellationToken))
        {
            Add([Copy(user, incremental: false)]);
            yield return user;
        }
    }

    private void Add(IEnumerable<Delivered> delivered)
    {
        lock (_gate)
        {
            _delivered.AddRange(delivered);
        }
    }

    /// <inheritdoc />
    /// <remarks>Forwarded, so the DRS source zeroes what the runner is done with (the copies above are the test's own).</remarks>
    public void ReleaseUsers(IReadOnlyList<DirectoryUser> users) => inner.ReleaseUsers(users);

    private static Delivered Copy(DirectoryUser user, bool incremental) =>
        new(user.SamAccountName ?? string.Empty, user.NtHash.ToArray(), user.SupplementalCredentials.ToArray(), incremental);
}
