using System.CommandLine;
using PasswordHashSync.Cli.Execution;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync sync</c>: runs the sync engine over a directory export and reports the decision per user.</summary>
internal sealed class SyncCommand : CliCommand
{
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

    /// <inheritdoc />
    public override string Name => "sync";

    /// <inheritdoc />
    public override string Description => "Run the sync engine over an LDIF export (or the bundled sample) and report per user.";

    /// <inheritdoc />
    public override string HelpNotes =>
        "Reads the directory export (LDIF with unicodePwd and, for the managed domain, supplementalCredentials),\n" +
        "decides for every user whether its password syncs and why, and prints a report: one line per user\n" +
        "(decision, status, reasons) and the totals. With --output, writes one JSON record per user: samAccountName,\n" +
        "decision (sync or skip), status, reasons, digest (the v1;PPH1_MD4 wire string), passwordPolicies,\n" +
        "forceChangePasswordNextSignIn and, when managedDomainEnabled is set, managedDomain { ntHash, kerberosKeys },\n" +
        "and says on standard error how many records went where. Without --input, runs on the bundled sample\n" +
        "directory (a real Samba AD export; passwords in samples/README.md).\n\n" +
        "Example:\n  pwsync sync --settings managed.json --output records.jsonl\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command)
    {
        command.Add(_input);
        command.Add(_settings);
        command.Add(_output);
    }

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context) =>
        SyncExecutor.Run(result.GetValue(_input), result.GetValue(_settings), result.GetValue(_output), context);
}
