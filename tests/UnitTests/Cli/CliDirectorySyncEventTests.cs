using System.Net;
using System.Runtime.CompilerServices;
using PasswordHashSync.Cli;
using PasswordHashSync.Cli.Agent;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Directory;
using PasswordHashSync.Replication;
using PasswordHashSync.Sync;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// <c>pwsync sync --dc</c> classifies a replication failure as the agent does (issue 12): the same source wrapper
/// (<see cref="DomainControllerChangeSource"/>), so the engine logs a missing right as event 1011 and an unreachable
/// DC as event 1010 on standard error, and the run exits 4.
/// </summary>
public sealed class CliDirectorySyncEventTests : IDisposable
{
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("phs-cli-dc-events-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_missing_replication_right_is_event_1011_naming_the_right_and_exit_4()
    {
        var denied = new ReplicationAccessDeniedException(
            ReplicationRights.GetChangesAll,
            "The domain controller refused replication to CORP\\svc: the account lacks \"Replicating Directory Changes All\" on DC=corp.");
        (int code, string error, string state) = await RunAsync(DomainControllerChangeSource.Translate(denied)!);

        Assert.Equal(ExitCodes.DirectoryError, code);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pwsync sync: error 1011 ReplicationAccessDenied: The directory refused the replication request", line, StringComparison.Ordinal);
        Assert.Contains("lacks \"Replicating Directory Changes All\"", line, StringComparison.Ordinal);
        Assert.Contains("AccessDenied", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_DC_is_event_1010_and_exit_4()
    {
        (int code, string error, _) = await RunAsync(DomainControllerChangeSource.Translate(new ReplicationConnectivityException("Cannot replicate from the domain controller: connection refused."))!);

        Assert.Equal(ExitCodes.DirectoryError, code);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pwsync sync: error 1010 DirectoryUnreachable: The directory could not be read", line, StringComparison.Ordinal);
        Assert.Contains("connection refused", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_replication_failure_is_event_1002_and_still_exit_4()
    {
        (int code, string error, _) = await RunAsync(new ReplicationException("The domain controller sent a malformed reply."));

        Assert.Equal(ExitCodes.DirectoryError, code);
        Assert.StartsWith("pwsync sync: error 1002 CycleFailed:", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_errors_map_for_the_agent_and_for_sync()
    {
        Assert.True(DomainControllerChangeSource.IsReplicationFailure(new ReplicationException("x")));
        Assert.True(DomainControllerChangeSource.IsReplicationFailure(DomainControllerChangeSource.Translate(new ReplicationConnectivityException("x"))!));
        Assert.False(DomainControllerChangeSource.IsReplicationFailure(new IOException("the state disk is full")));
        Assert.False(DomainControllerChangeSource.IsReplicationFailure(new UnauthorizedAccessException("the state file is read-only")));
    }

    // The real path, no server needed: a port nothing listens on, through the command line.
    [Fact]
    public void Sync_dc_with_state_against_a_closed_port_logs_event_1010_and_exits_4()
    {
        IPAddress nothing = LoopbackAddress.Allocate(135);
        CliRunner.Outcome result = CliRunner.Run(
            "Dc-Pa55word\n", "sync", "--dc", nothing.ToString(), "--domain", "corp.example.test", "--user", "svc", "--password-stdin",
            "--state", Path.Combine(_folder, "state.json"));

        Assert.True(result.ExitCode == ExitCodes.DirectoryError, result.StandardError);
        Assert.Contains("pwsync sync: error 1010 DirectoryUnreachable: ", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Dc-Pa55word", result.StandardError, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Error, string State)> RunAsync(Exception failure)
    {
        string state = Path.Combine(_folder, "state-" + Guid.NewGuid().ToString("N") + ".json");
        using var error = new StringWriter();
        var context = new CliContext(new MemoryStream(), new MemoryStream(), error, inputIsTerminal: false, errorIsTerminal: false);
        (int code, SyncCycleReport? report) = await DirectorySyncExecutor.RunEngineAsync(new FailingSource(failure), null, new PasswordHashSyncSettings(), state, context);
        Assert.Null(report);
        return (code, error.ToString(), File.Exists(state) ? File.ReadAllText(state) : string.Empty);
    }

    private sealed class FailingSource(Exception error) : IDirectoryChangeSource
    {
        public ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken) => throw error;

        public ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken) => throw error;

        public ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken) => throw error;

        public async IAsyncEnumerable<DirectoryUser> GetAllUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw error;
#pragma warning disable CS0162 // An iterator needs a yield.
            yield break;
#pragma warning restore CS0162
        }
    }
}
