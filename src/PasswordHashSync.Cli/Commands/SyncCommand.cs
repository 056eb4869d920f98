using System.CommandLine;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Cli.Options;
using PasswordHashSync.Cli.Sync;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync sync</c>: runs the sync engine over a directory export and reports the decision per user.</summary>
internal sealed class SyncCommand : CliCommand
{
    private readonly DirectorySourceOptionSet _source = new();
    private readonly Option<string> _state = new("--state")
    {
        Description = "With --dc: the sync state file (watermark, per-user state, retry queue), so repeated runs are incremental; locked for the run.",
        HelpName = "FILE",
    };

    private readonly Option<string> _input = new("--input") { Description = "The LDIF export (default: the bundled sample).", HelpName = "FILE" };
    private readonly Option<string> _settings = new("--settings")
    {
        Description = "Sync settings as JSON, for example {\"managedDomainEnabled\": true} (see docs/cli.md, sync).",
        HelpName = "FILE",
    };

    private readonly Option<string> _output = new("--output")
    {
        Description = "Write the JSON-lines records there (atomically, mode 0600; a symbolic link is refused); '-' writes them to standard output (the report then goes to standard error).",
        HelpName = "FILE",
    };

    private readonly Option<string> _report = new("--report")
    {
        Description = "Write the per-user table for every user there (atomically, mode 0600: it lists every account); the console then prints the heading and the totals. Without it the console table lists the first 1000 users.",
        HelpName = "FILE",
    };

    /// <inheritdoc />
    public override string Name => "sync";

    /// <inheritdoc />
    public override string Description => "Run the sync engine over an LDIF export, the bundled sample or a live domain controller (--dc) and report per user.";

    /// <inheritdoc />
    public override bool TakesPassword => true;

    /// <inheritdoc />
    public override string HelpNotes =>
        "Reads the directory export (LDIF with unicodePwd and, for the managed domain, supplementalCredentials),\n" +
        "decides for every user whether its password syncs and why, and prints a report: one line per user\n" +
        "(decision, status, reasons; the first 1000 users, every user with --report FILE) and the totals. With --output, writes one JSON record per user: samAccountName,\n" +
        "decision (sync or skip), status, reasons, digest (the v1;PPH1_MD4 wire string), passwordPolicies,\n" +
        "forceChangePasswordNextSignIn and, when managedDomainEnabled is set, managedDomain { ntHash, kerberosKeys },\n" +
        "and says on standard error how many records went where. Without --input, runs on the bundled sample\n" +
        "directory (a real Samba AD export; passwords in samples/README.md).\n\n" +
        "Live domain controller (instead of --input): --dc HOST[:PORT] --domain DNS-DOMAIN --user USER and the password\n" +
        "from --password-stdin or --password-file (never the command line) run one sync cycle replicated over MS-DRSR.\n" +
        "With --state FILE the first run is a full sync and later runs ask the DC only for what changed. Exit codes:\n" +
        "4 the DC is unreachable or refused the credentials or the replication rights, 5 the state is in use.\n\n" +
        "Example:\n  pwsync sync --settings managed.json --output records.jsonl\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command)
    {
        command.Add(_input);
        command.Add(_settings);
        command.Add(_output);
        command.Add(_report);
        _source.AddTo(command);
        command.Add(_state);
    }

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context)
    {
        DirectorySourceOptions? dc = _source.Bind(result);
        string? state = result.GetValue(_state);
        if (dc is null)
        {
            return state is not null
                ? throw new UsageException($"option --state needs {DirectorySourceOptions.DcOption}")
                : SyncExecutor.Run(result.GetValue(_input), result.GetValue(_settings), result.GetValue(_output), result.GetValue(_report), context);
        }

        if (result.GetValue(_input) is not null)
        {
            throw new UsageException($"give either --input or {DirectorySourceOptions.DcOption}, not both");
        }

        return DirectorySyncExecutor.Run(dc, SettingsFile.Load(result.GetValue(_settings)), state, result.GetValue(_output), result.GetValue(_report), context);
    }
}
