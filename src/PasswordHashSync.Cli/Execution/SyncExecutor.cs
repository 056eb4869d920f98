using System.Globalization;
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

    /// <summary>Decides for every user and writes the report and, when asked, the records.</summary>
    /// <param name="input">The LDIF export, or <see langword="null"/> for the bundled sample.</param>
    /// <param name="settingsPath">The sync settings file, or <see langword="null"/>.</param>
    /// <param name="output">The records file, <c>-</c> for standard output, or <see langword="null"/> for none.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="DataException">The input, the settings or the output is wrong.</exception>
    public static int Run(string? input, string? settingsPath, string? output, CliContext context)
    {
        PasswordHashSyncSettings settings = SettingsFile.Load(settingsPath);
        IReadOnlyList<DirectoryUser> users = SyncPlanner.CollapseToLatest(DirectoryInput.Load(input));
        TextWriter report = output == "-" ? context.Error : context.Out;

        List<ReportLine> lines;
        if (output is null)
        {
            lines = Decide(users, settings, null, context);
        }
        else if (output == "-")
        {
            lines = Decide(users, settings, context.Output, context);
        }
        else
        {
            // The records hold digests and, for the managed domain, NT hashes and Kerberos keys: written whole,
            // owner-only, and renamed into place only when every user was decided (a failed run keeps the previous file).
            List<ReportLine>? written = null;
            SecretFileWriter.Write(output, "--output", stream => written = Decide(users, settings, stream, context));
            lines = written!;
        }
        int synced = lines.FindAll(l => l.Decision == "sync").Count;
        WriteReport(report, input ?? DirectoryInput.SampleDisplayName, lines, synced, settings);
        if (output is not null)
        {
            string where = output == "-" ? "standard output" : output;
            string note = settings.ManagedDomainEnabled && output != "-" ? " (mode 0600: it holds NT hashes and Kerberos keys)" : string.Empty;
            context.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"pwsync sync: wrote {lines.Count} record(s) ({synced} sync, {lines.Count - synced} skip) to {where}{note}"));
        }
        return ExitCodes.Ok;
    }

    private static List<ReportLine> Decide(IReadOnlyList<DirectoryUser> users, PasswordHashSyncSettings settings, Stream? recordStream, CliContext context)
    {
        using SyncRecordWriter? records = recordStream is null ? null : new SyncRecordWriter(recordStream);
        var planner = new SyncPlanner();
        var progress = new ProgressBar(context.Error, users.Count, context.ErrorIsTerminal && users.Count >= ProgressThreshold);
        var lines = new List<ReportLine>(users.Count);
        for (int i = 0; i < users.Count; i++)
        {
            DirectoryUser user = users[i];
            SyncDecision decision;
            try
            {
                decision = planner.Decide(user, settings);
            }
            catch (FormatException e)
            {
                throw new DataException($"{user.DistinguishedName}: {e.Message}");
            }
            using (decision.ManagedDomainRecord)
            {
                records?.Write(user, decision);
            }
            lines.Add(new ReportLine(
                user.SamAccountName ?? user.DistinguishedName,
                SyncRecordWriter.DecisionName(decision),
                decision.Status.ToString(),
                decision.Reasons.Count == 0 ? "-" : string.Join(", ", decision.Reasons)));
            progress.Report(i + 1);
        }
        progress.Finish();
        return lines;
    }

    private static void WriteReport(TextWriter report, string source, List<ReportLine> lines, int synced, PasswordHashSyncSettings settings)
    {
        int userWidth = Math.Max(4, lines.Count == 0 ? 4 : lines.Max(l => l.User.Length));
        int statusWidth = Math.Max(6, lines.Count == 0 ? 6 : lines.Max(l => l.Status.Length));
        report.WriteLine($"Password hash sync over {source}{(settings.ManagedDomainEnabled ? " (managed domain enabled)" : string.Empty)}");
        report.WriteLine();
        report.WriteLine($"{"USER".PadRight(userWidth)}  DECISION  {"STATUS".PadRight(statusWidth)}  REASONS");
        foreach (ReportLine line in lines)
        {
            report.WriteLine($"{line.User.PadRight(userWidth)}  {line.Decision,-8}  {line.Status.PadRight(statusWidth)}  {line.Reasons}");
        }
        report.WriteLine();
        report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Totals: {lines.Count} users, {synced} sync, {lines.Count - synced} skip"));
    }

    private readonly record struct ReportLine(string User, string Decision, string Status, string Reasons);
}
