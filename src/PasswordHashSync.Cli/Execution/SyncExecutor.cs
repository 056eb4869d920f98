using System.Globalization;
using System.Text;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Output;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Execution;

/// <summary>Runs the sync engine over a directory export: the report, and the records file through <see cref="SecretFileWriter"/>.</summary>
internal static class SyncExecutor
{
    /// <summary>Runs with at least this many users draw a progress bar (when standard error is a terminal).</summary>
    public const int ProgressThreshold = 50;

    /// <summary>Decides for every user and writes the report and, when asked, the records and the report file.</summary>
    /// <param name="input">The LDIF export, or <see langword="null"/> for the bundled sample.</param>
    /// <param name="settingsPath">The sync settings file, or <see langword="null"/>.</param>
    /// <param name="output">The records file, <c>-</c> for standard output, or <see langword="null"/> for none.</param>
    /// <param name="reportPath">The report file (every user's row; atomic, 0600), or <see langword="null"/> for the console table only.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="DataException">The input, the settings or the output is wrong.</exception>
    public static int Run(string? input, string? settingsPath, string? output, string? reportPath, CliContext context)
    {
        CheckReportPath(reportPath, output);
        PasswordHashSyncSettings settings = SettingsFile.Load(settingsPath, out LdifReaderOptions limits);
        // Two reads of the input (three when a user repeats) instead of one held in memory: see LatestUserIndex. Every
        // read, the first pass included, enforces the same limits. Pass 1
        // reads identities only; to standard output, where a record once written cannot be taken back, it reads in
        // full so a malformed input fails before the first record (a file is renamed into place only on success).
        LatestUserIndex users = output == "-"
            ? LatestUserIndex.Build(() => DirectoryInput.Stream(input, limits))
            : LatestUserIndex.Build(() => DirectoryInput.Stream(input, limits), () => DirectoryInput.StreamIdentities(input, limits));
        TextWriter report = output == "-" ? context.Error : context.Out;
        string source = input ?? DirectoryInput.SampleDisplayName;

        SyncReportTable table;
        if (reportPath is null)
        {
            table = DecideTo(users, settings, output, context, new SyncReportTable());
        }
        else
        {
            // The report file lists every account of the directory (no secrets, but a map of it): written like the
            // records, whole, owner-only and renamed into place only when every user was decided.
            SyncReportTable? written = null;
            SecretFileWriter.Write(reportPath, "--report", stream =>
            {
                using var file = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
                written = DecideTo(users, settings, output, context, new SyncReportTable(file, SyncReportTable.Heading(source, settings.ManagedDomainEnabled)));
                written.CompleteFile();
            });
            table = written!;
        }

        table.Write(report, source, settings.ManagedDomainEnabled, reportPath);
        if (output is not null)
        {
            string where = output == "-" ? "standard output" : output;
            string note = settings.ManagedDomainEnabled && output != "-" ? " (mode 0600: it holds NT hashes and Kerberos keys)" : string.Empty;
            context.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"pwsync sync: wrote {table.Users} record(s) ({table.Synced} sync, {table.Users - table.Synced} skip) to {where}{note}"));
        }
        return ExitCodes.Ok;
    }

    internal static void CheckReportPath(string? reportPath, string? output)
    {
        if (reportPath is null)
        {
            return;
        }

        if (reportPath.Length == 0 || reportPath == "-")
        {
            throw new UsageException("option --report needs a file name (without it the table goes to the console, limited to its first rows)");
        }

        if (output is not null && output != "-" && Path.GetFullPath(output) == Path.GetFullPath(reportPath))
        {
            throw new UsageException("give --report and --output different files");
        }
    }

    private static SyncReportTable DecideTo(LatestUserIndex users, PasswordHashSyncSettings settings, string? output, CliContext context, SyncReportTable table)
    {
        if (output is null)
        {
            return Decide(users, settings, null, context, table: table);
        }

        if (output == "-")
        {
            return Decide(users, settings, context.Output, context, table: table);
        }

        // The records hold digests and, for the managed domain, NT hashes and Kerberos keys: written whole,
        // owner-only, and renamed into place only when every user was decided (a failed run keeps the previous file).
        SecretFileWriter.Write(output, "--output", stream => Decide(users, settings, stream, context, table: table));
        return table;
    }

    /// <summary>
    /// Decides for every user through the block pipeline (<see cref="SyncPipeline"/>) and writes the records in order.
    /// </summary>
    /// <param name="users">The collapsed users.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="recordStream">Where the records go, or <see langword="null"/>.</param>
    /// <param name="context">The streams (the progress bar).</param>
    /// <param name="planner">The planner, or <see langword="null"/> for the default (a test passes a seeded one).</param>
    /// <param name="table">The table the users are counted in, or <see langword="null"/> for a new console table.</param>
    /// <returns>The report table.</returns>
    internal static SyncReportTable Decide(LatestUserIndex users, PasswordHashSyncSettings settings, Stream? recordStream, CliContext context, SyncPlanner? planner = null, SyncReportTable? table = null)
    {
        // The writer buffers (one write call per 256 KiB, its buffer zeroed after each); flushed, not disposed, when
        // the writer is (the stream belongs to the caller).
        using SyncRecordWriter? records = recordStream is null ? null : new SyncRecordWriter(recordStream);
        var progress = new ProgressBar(context.Error, users.Count, context.ErrorIsTerminal && users.Count >= ProgressThreshold);
        table ??= new SyncReportTable();
        SyncPipeline.Run(users.Users(), planner ?? new SyncPlanner(), settings, (user, decision) =>
        {
            records?.Write(user, decision);
            table.Add(user, decision);
            progress.Report(table.Users);
        });
        progress.Finish();
        return table;
    }
}
