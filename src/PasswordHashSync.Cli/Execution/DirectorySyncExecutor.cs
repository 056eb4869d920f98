using System.Globalization;
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
internal static class DirectorySyncExecutor
{
    /// <summary>Runs one cycle and prints its report.</summary>
    /// <param name="source">The DC connection options.</param>
    /// <param name="settings">The sync settings.</param>
    /// <param name="statePath">The state file, or <see langword="null"/> for an in-memory state.</param>
    /// <param name="output">The records file (0600, atomic), <c>-</c> for standard output, or <see langword="null"/> for none.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    public static int Run(DirectorySourceOptions source, PasswordHashSyncSettings settings, string? statePath, string? output, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        using ReplicationCredential credential = source.CreateCredential(context);
        if (output is null or "-")
        {
            return RunCycleAsync(source, credential, settings, statePath, output is null ? null : context.Output, output, context).GetAwaiter().GetResult();
        }

        // The records hold digests and, for the managed domain, NT hashes and Kerberos keys: written whole, owner-only,
        // and renamed into place only after a successful cycle (a failed one keeps the previous file).
        int code = ExitCodes.Ok;
        SecretFileWriter.WriteIf(output, "--output", stream =>
        {
            code = RunCycleAsync(source, credential, settings, statePath, stream, output, context).GetAwaiter().GetResult();
            return code == ExitCodes.Ok;
        });
        return code;
    }

    private static async Task<int> RunCycleAsync(
        DirectorySourceOptions source, ReplicationCredential credential, PasswordHashSyncSettings settings, string? statePath, Stream? recordStream, string? output, CliContext context)
    {
        TextWriter report = output == "-" ? context.Error : context.Out;
        SyncCycleReport result;
        using (SyncRecordWriter? records = recordStream is null ? null : new SyncRecordWriter(recordStream))
        {
            await using var directory = new DrsDirectoryChangeSource(source.ToReplicationOptions(), credential);
            var names = new NameRecordingSource(directory);
            FileSyncStateStore? file;
            try
            {
                // Held for the whole run: a second pwsync sync --state or agent on the same state refuses (exit code 5).
                file = statePath is null ? null : new FileSyncStateStore(statePath);
            }
            catch (SyncStateLockedException e)
            {
                context.Error.WriteLine($"pwsync sync: {e.Message}");
                return ExitCodes.StateLocked;
            }

            using (file)
            {
                ISyncStateStore store = file ?? (ISyncStateStore)new InMemorySyncStateStore();
                var runner = new PasswordSyncRunner(names, new RecordsExporter(records, names), store, new SyncPlanner(), settings);
                try
                {
                    result = await runner.RunCycleAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (ReplicationException e)
                {
                    context.Error.WriteLine($"pwsync sync: {e.Message}");
                    return ExitCodes.DirectoryError;
                }
                catch (SyncStateCorruptedException e)
                {
                    throw new DataException($"the state file {statePath} is unreadable: {e.Message}");
                }
            }

            if (DirectorySourceOptions.DescribeFallback(credential) is string fallback)
            {
                context.Error.WriteLine($"pwsync sync: warning: {fallback}");
            }

            WriteReport(report, source, result, names);
        }

        return ExitCodes.Ok;
    }

    private static void WriteReport(TextWriter report, DirectorySourceOptions source, SyncCycleReport result, NameRecordingSource names)
    {
        report.WriteLine($"Password hash sync from {source.Host} ({source.DnsDomain}): {result.Kind} cycle{(result.FullSyncReason is null ? string.Empty : " (" + result.FullSyncReason + ")")}");
        report.WriteLine();
        var lines = result.Outcomes.Select(o => (User: names.NameOf(o.SourceAnchor) ?? o.DistinguishedName, Decision: o.Action == SyncAction.Export ? "sync" : "skip", Status: o.Status.ToString(), Reasons: o.Reasons.Count == 0 ? "-" : string.Join(", ", o.Reasons))).ToList();
        int userWidth = Math.Max(4, lines.Count == 0 ? 4 : lines.Max(l => l.User.Length));
        int statusWidth = Math.Max(6, lines.Count == 0 ? 6 : lines.Max(l => l.Status.Length));
        report.WriteLine($"{"USER".PadRight(userWidth)}  DECISION  {"STATUS".PadRight(statusWidth)}  REASONS");
        foreach (var line in lines)
        {
            report.WriteLine($"{line.User.PadRight(userWidth)}  {line.Decision,-8}  {line.Status.PadRight(statusWidth)}  {line.Reasons}");
        }

        report.WriteLine();
        report.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Totals: {result.Outcomes.Count} users, {result.Exported} exported, {result.Skipped} skipped, {result.Unchanged} unchanged, {result.Failed} failed"));
    }
}
