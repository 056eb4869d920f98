using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PasswordHashSync.Directory;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Rpc;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// The live-DC source of <c>pwsync agent</c> (<c>DomainController</c>) and of <c>pwsync sync --dc</c>, so both report
/// one failure with one event: <see cref="DrsDirectoryChangeSource"/> with its credential, and its failures mapped onto
/// the engine's failure events. The engine (which knows nothing of the replication library)
/// tells "access denied" by <see cref="UnauthorizedAccessException"/> and "unreachable" by <see cref="IOException"/>
/// anywhere in the exception chain; so a refused replication right or password is rethrown as the first (event 1011,
/// ReplicationAccessDenied) and an unreachable DC as the second (event 1010, DirectoryUnreachable), each with the
/// library's message (which names the account, the missing right and the remedy, never a secret) and the library's
/// exception inside.
/// </summary>
internal sealed class DomainControllerChangeSource : IDirectoryChangeSource, IAsyncDisposable, IDisposable
{
    private readonly DrsDirectoryChangeSource _inner;
    private readonly ReplicationCredential _credential;
    private readonly bool _ownsCredential;
    private string? _reportedFallback;
    private int _disposed;

    /// <summary>Creates the source; nothing connects until the first cycle.</summary>
    /// <param name="options">The DC and domain.</param>
    /// <param name="credential">The account.</param>
    /// <param name="ownsCredential">Whether the source disposes <paramref name="credential"/> (the agent) or its caller does (<c>sync --dc</c>).</param>
    public DomainControllerChangeSource(DrsReplicationOptions options, ReplicationCredential credential, bool ownsCredential = true)
    {
        _inner = new DrsDirectoryChangeSource(options, credential);
        _credential = credential;
        _ownsCredential = ownsCredential;
    }

    /// <summary>
    /// Where a Negotiate sign-in that fell back to NTLM is reported (event 2009, once per fallback reason); the agent
    /// sets it once its host is built. <c>sync --dc</c> leaves it silent and prints its own warning.
    /// </summary>
    internal ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Whether <paramref name="error"/> is a replication failure this source reported: the library's exception, or the engine-facing one wrapping it.</summary>
    /// <param name="error">An exception from a cycle over this source.</param>
    /// <returns><see langword="true"/> for a directory error (exit code 4).</returns>
    public static bool IsReplicationFailure(Exception error) => error is ReplicationException || error.InnerException is ReplicationException;

    /// <inheritdoc />
    public async ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken)
    {
        try
        {
            DirectoryChangeSet changes = await _inner.GetChangesAsync(watermark, cancellationToken).ConfigureAwait(false);
            ReportSignIn();
            return changes;
        }
        catch (ReplicationException e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken)
    {
        try
        {
            string? watermark = await _inner.GetCurrentWatermarkAsync(cancellationToken).ConfigureAwait(false);
            ReportSignIn();
            return watermark;
        }
        catch (ReplicationException e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public async ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken)
    {
        try
        {
            DirectoryUser? user = await _inner.GetUserAsync(sourceAnchor, cancellationToken).ConfigureAwait(false);
            ReportSignIn();
            return user;
        }
        catch (ReplicationException e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DirectoryUser> GetAllUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerator<DirectoryUser> users = _inner.GetAllUsersAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool first = true;
        try
        {
            while (true)
            {
                try
                {
                    if (!await users.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (ReplicationException e) when (Translate(e) is { } translated)
                {
                    throw translated;
                }

                if (first)
                {
                    first = false;
                    ReportSignIn();
                }

                yield return users.Current;
            }
        }
        finally
        {
            await users.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>Forwarded: the DRS source zeroes the released users' NT hashes and supplementalCredentials.</remarks>
    public void ReleaseUsers(IReadOnlyList<DirectoryUser> users) => _inner.ReleaseUsers(users);

    /// <summary>Closes the connection and zeroes the credential when the source owns it.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
            if (_ownsCredential)
            {
                _credential.Dispose();
            }
        }
    }

    /// <summary>Closes the connection and zeroes an owned credential (the host's container disposes synchronously).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Logs a Negotiate credential's fallback to NTLM once per reason (again after a Kerberos sign-in in between).</summary>
    internal void ReportSignIn()
    {
        if (_credential is not NegotiateCredential negotiate)
        {
            return;
        }

        if (negotiate.LastMechanism == "NTLM")
        {
            string reason = negotiate.LastFallbackReason ?? "no reason given";
            if (!string.Equals(reason, _reportedFallback, StringComparison.Ordinal))
            {
                _reportedFallback = reason;
                AgentLog.KerberosFallbackToNtlm(Logger, reason);
            }
        }
        else if (negotiate.LastMechanism == "Kerberos")
        {
            _reportedFallback = null;
        }
    }

    /// <summary>The exception the engine classifies as the failure it is, or <see langword="null"/> to let it pass.</summary>
    /// <param name="error">The library's exception.</param>
    /// <returns>The exception to throw instead, or <see langword="null"/>.</returns>
    internal static Exception? Translate(ReplicationException error) => error switch
    {
        ReplicationAccessDeniedException or RpcAuthenticationException => new UnauthorizedAccessException(error.Message, error),
        ReplicationConnectivityException => new IOException(error.Message, error),
        _ => null,
    };
}
