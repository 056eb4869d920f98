using System.Text;
using Microsoft.Extensions.Logging;
using PasswordHashSync.Cli.Agent;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Output;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Replication;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Execution;

/// <summary>
/// What <c>pwsync sync --dc</c> does, apart from parsing: one <see cref="PasswordSyncRunner"/> cycle over a live DC
/// (<see cref="DrsDirectoryChangeSource"/>). With a state file the first run is a full sync and later runs are
/// incremental from the stored replication watermark; without one every run is a full sync.
/// </summary>
/// <remarks>
/// The source is the agent's <see cref="DomainControllerChangeSource"/> and the engine's warnings and errors go to
/// standard error as events (<see cref="CliEventLogger"/>), so a missing replication right is event 1011
/// (ReplicationAccessDenied) and an unreachable DC event 1010 (DirectoryUnreachable) here as in the agent; both exit 4.
/// </remarks>
internal static class DirectorySyncExecutor
{
    /// <summary>Runs one cycle and prints its report.</summary>
    /// <param name="source">The DC connection options.</param>
    /// <param name="settings">The sync settings.</param>
    /// <param name="statePath">The state file, or <see langword="null"/> for an in-memory state.</param>
    /// <param name="output">The records file (0600, atomic), <c>-</c> for standard output, or <see langword="null"/> for none.</param>
    /// <param name="reportPath">The per-user table for every user (0600, atomic), or <see langword="null"/> for the console's first rows.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    public static int Run(DirectorySourceOptions source, PasswordHashSyncSettings settings, string? statePath, string? output, string? reportPath, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        SyncExecutor.CheckReportPath(reportPath, output);
        using ReplicationCredential credential = source.CreateCredential(context);
        if (reportPath is null)
        {
            return RunToRecords(source, credential, settings, statePath, output, new OutcomeReportTable(), null, context);
        }

        // The report file lists every account of the domain (no secrets, but a map of it): streamed row by row as the
        // runner commits, owner-only, and renamed into place only after a successful cycle.
        int code = ExitCodes.Ok;
        SecretFileWriter.WriteIf(reportPath, "--report", stream =>
        {
            using var file = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
            code = RunToRecords(source, credential, settings, statePath, output, new OutcomeReportTable(file, Heading(source)), reportPath, context);
            return code == ExitCodes.Ok;
        });
        return code;
    }

    private static int RunToRecords(
        DirectorySourceOptions source, ReplicationCredential credential, PasswordHashSyncSettings settings, string? statePath, string? output, OutcomeReportTable table, string? reportPath, CliContext context)
    {
        if (output is null or "-")
        {
            return RunCycleAsync(source, credential, settings, statePath, output is null ? null : context.Output, output, table, reportPath, context).GetAwaiter().GetResult();
        }

        // The records hold digests and, for the managed domain, NT hashes and Kerberos keys: written whole, owner-only,
        // and renamed into place only after a successful cycle (a failed one keeps the previous file).
        int code = ExitCodes.Ok;
        SecretFileWriter.WriteIf(output, "--output", stream =>
        {
            code = RunCycleAsync(source, credential, settings, statePath, stream, output, table, reportPath, context).GetAwaiter().GetResult();
            return code == ExitCodes.Ok;
        });
        return code;
    }

    private static async Task<int> RunCycleAsync(
        DirectorySourceOptions source, ReplicationCredential credential, PasswordHashSyncSettings settings, string? statePath, Stream? recordStream, string? output,
        OutcomeReportTable table, string? reportPath, CliContext context)
    {
        TextWriter report = output == "-" ? context.Error : context.Out;
        using (SyncRecordWriter? records = recordStream is null ? null : new SyncRecordWriter(recordStream))
        {
            await using var directory = new DomainControllerChangeSource(source.ToReplicationOptions(), credential, ownsCredential: false);
            (int code, SyncCycleReport? result) = await RunEngineAsync(directory, records, settings, statePath, context, table).ConfigureAwait(false);
            if (result is null)
            {
                return code;
            }

            if (DirectorySourceOptions.DescribeFallback(credential) is string fallback)
            {
                context.Error.WriteLine($"pwsync sync: warning: {fallback}");
            }

            string cycle = CycleLine(result);
            table.CompleteFile(cycle, result);
            table.Write(report, $"{Heading(source)}: {cycle}", result, reportPath);
        }

        return ExitCodes.Ok;
    }

    private static string Heading(DirectorySourceOptions source) => $"Password hash sync from {source.Host} ({source.DnsDomain})";

    private static string CycleLine(SyncCycleReport result) =>
        $"{result.Kind} cycle{(result.FullSyncReason is null ? string.Empty : " (" + result.FullSyncReason + ")")}";

    /// <summary>
    /// The engine part of a run over any source (a test passes a fake one): the state's lock, one runner cycle with its
    /// events on standard error, and a replication failure turned into exit code 4.
    /// </summary>
    /// <param name="directory">The source.</param>
    /// <param name="records">Where the records go, or <see langword="null"/>.</param>
    /// <param name="settings">The sync settings.</param>
    /// <param name="statePath">The state file, or <see langword="null"/> for an in-memory state.</param>
    /// <param name="context">The streams.</param>
    /// <param name="outcomes">Receives every user's outcome as it is committed (the per-user table), or <see langword="null"/>.</param>
    /// <returns>The cycle's report, or <see langword="null"/> with the exit code when it failed.</returns>
    /// <exception cref="DataException">The state file is unreadable.</exception>
    internal static async Task<(int Code, SyncCycleReport? Report)> RunEngineAsync(
        IDirectoryChangeSource directory, SyncRecordWriter? records, PasswordHashSyncSettings settings, string? statePath, CliContext context, ISyncOutcomeObserver? outcomes = null)
    {
        FileSyncStateStore? file;
        try
        {
            // Held for the whole run: a second pwsync sync --state or agent on the same state refuses (exit code 5).
            file = statePath is null ? null : new FileSyncStateStore(statePath);
        }
        catch (SyncStateLockedException e)
        {
            context.Error.WriteLine($"pwsync sync: {e.Message}");
            return (ExitCodes.StateLocked, null);
        }

        using (file)
        {
            ISyncStateStore store = file ?? (ISyncStateStore)new InMemorySyncStateStore();
            var log = new CliEventLogger(context.Error, "pwsync sync", LogLevel.Warning);
            var runner = new PasswordSyncRunner(directory, new RecordsExporter(records), store, new SyncPlanner(), settings, logger: log) { OutcomeObserver = outcomes };
            try
            {
                return (ExitCodes.Ok, await runner.RunCycleAsync(CancellationToken.None).ConfigureAwait(false));
            }
            catch (Exception e) when (DomainControllerChangeSource.IsReplicationFailure(e))
            {
                // The runner has logged it (1010, 1011, or 1002 for another replication failure), message included.
                return (ExitCodes.DirectoryError, null);
            }
            catch (SyncStateCorruptedException e)
            {
                throw new DataException($"the state file {statePath} is unreadable: {e.Message}");
            }
        }
    }
}
