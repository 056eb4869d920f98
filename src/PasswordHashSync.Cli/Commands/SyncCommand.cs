using System.Globalization;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync sync</c>: runs the sync engine over a directory export and reports the decision per user.</summary>
internal sealed class SyncCommand : Command
{
    /// <summary>Runs with at least this many users draw a progress bar (when standard error is a terminal).</summary>
    public const int ProgressThreshold = 50;

    private const string InputOption = "--input";
    private const string SettingsOption = "--settings";
    private const string OutputOption = "--output";
    private const string StateOption = "--state";

    /// <inheritdoc />
    public override string Name => "sync";

    /// <inheritdoc />
    public override string Summary => "run the sync engine over an LDIF export (or the bundled sample) and report per user";

    /// <inheritdoc />
    public override string Help =>
        "Usage: pwsync sync [--input export.ldif] [--settings settings.json] [--output records.jsonl]\n" +
        "       pwsync sync --dc HOST[:PORT] --domain DNS-DOMAIN --user USER (--password-stdin | --password-file FILE)\n" +
        "                   [--state state.json] [--settings settings.json] [--output records.jsonl]\n\n" +
        "Reads the directory export (LDIF with unicodePwd and, for the managed domain, supplementalCredentials),\n" +
        "decides for every user whether its password syncs and why, and prints a report: one line per user\n" +
        "(decision, status, reasons) and the totals. With --output, writes one JSON record per user: samAccountName,\n" +
        "decision (sync or skip), status, reasons, digest (the v1;PPH1_MD4 wire string), passwordPolicies,\n" +
        "forceChangePasswordNextSignIn and, when managedDomainEnabled is set, managedDomain { ntHash, kerberosKeys }.\n" +
        "Without --input, runs on the bundled sample directory (a real Samba AD export; passwords in samples/README.md).\n\n" +
        "Options:\n" +
        "  --input FILE         the LDIF export (default: the bundled sample)\n" +
        "  --settings FILE      sync settings as JSON, for example {\"managedDomainEnabled\": true} (see the README, pwsync sync)\n" +
        "  --output FILE        write the JSON-lines records there; '-' writes them to standard output\n" +
        "                       (the report then goes to standard error)\n\n" +
        "Live domain controller (instead of --input): one sync cycle replicated over MS-DRSR. With --state FILE the\n" +
        "replication watermark and per-user state are kept there: the first run is a full sync, later runs send only\n" +
        "what changed (a restored DC or an unusable watermark triggers a full sync, reported as such). With --dc,\n" +
        "--output FILE is created with mode 0600 and replaced atomically.\n" +
        DirectorySourceOptions.HelpText +
        "  --state FILE         the sync state (watermark, per-user state, retry queue); only with --dc\n\n" +
        "Example:\n  pwsync sync --settings managed.json --output records.jsonl\n";

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ValueOptions => [InputOption, SettingsOption, OutputOption, StateOption, .. DirectorySourceOptions.ValueOptions];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> FlagOptions => DirectorySourceOptions.FlagOptions;

    /// <inheritdoc />
    protected override int Execute(ParsedArguments arguments, CliContext context)
    {
        string? input = arguments.Get(InputOption);
        string? output = arguments.Get(OutputOption);
        DirectorySourceOptions? dc = DirectorySourceOptions.FromArguments(arguments);
        if (dc is not null && input is not null)
        {
            throw new UsageException($"give either {InputOption} or {DirectorySourceOptions.DcOption}, not both");
        }

        if (dc is null && arguments.Has(StateOption))
        {
            throw new UsageException($"option {StateOption} needs {DirectorySourceOptions.DcOption}");
        }

        PasswordHashSyncSettings settings = SettingsFile.Load(arguments.Get(SettingsOption));
        if (dc is not null)
        {
            return DirectorySyncExecution.RunAsync(dc, settings, arguments.Get(StateOption), output, context, CancellationToken.None).GetAwaiter().GetResult();
        }

        IReadOnlyList<DirectoryUser> users = SyncPlanner.CollapseToLatest(DirectoryInput.Load(input));
        TextWriter report = output == "-" ? context.Error : context.Out;

        Stream? recordStream = null;
        try
        {
            recordStream = output switch
            {
                null => null,
                "-" => context.Output,
                _ => OpenOutput(output),
            };
            using SyncRecordWriter? records = recordStream is null ? null : new SyncRecordWriter(recordStream);
            var planner = new SyncPlanner();
            var progress = new ProgressBar(context.Error, users.Count, context.ErrorIsTerminal && users.Count >= ProgressThreshold);
            var lines = new List<(string User, string Decision, string Status, string Reasons)>(users.Count);
            int synced = 0;
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
                string name = SyncRecordWriter.DecisionName(decision);
                synced += name == "sync" ? 1 : 0;
                lines.Add((user.SamAccountName ?? user.DistinguishedName, name, decision.Status.ToString(), decision.Reasons.Count == 0 ? "-" : string.Join(", ", decision.Reasons)));
                progress.Report(i + 1);
            }
            progress.Finish();
            WriteReport(report, input ?? DirectoryInput.SampleDisplayName, lines, synced, settings);
        }
        finally
        {
            if (recordStream is not null && !ReferenceEquals(recordStream, context.Output))
            {
                recordStream.Dispose();
            }
        }
        return ExitCodes.Ok;
    }

    private static FileStream OpenOutput(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot write {path}: {e.Message}");
        }
    }

    private static void WriteReport(TextWriter report, string source, List<(string User, string Decision, string Status, string Reasons)> lines, int synced, PasswordHashSyncSettings settings)
    {
        int userWidth = Math.Max(4, lines.Count == 0 ? 4 : lines.Max(l => l.User.Length));
        int statusWidth = Math.Max(6, lines.Count == 0 ? 6 : lines.Max(l => l.Status.Length));
        report.WriteLine($"Password hash sync over {source}{(settings.ManagedDomainEnabled ? " (managed domain enabled)" : string.Empty)}");
        report.WriteLine();
        report.WriteLine($"{"USER".PadRight(userWidth)}  DECISION  {"STATUS".PadRight(statusWidth)}  REASONS");
        foreach ((string user, string decision, string status, string reasons) in lines)
        {
            report.WriteLine($"{user.PadRight(userWidth)}  {decision,-8}  {status.PadRight(statusWidth)}  {reasons}");
        }
        report.WriteLine();
        report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Totals: {lines.Count} users, {synced} sync, {lines.Count - synced} skip"));
    }
}
