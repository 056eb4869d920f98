using System.CommandLine;
using PasswordHashSync.Cli.Agent;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync agent</c>: the sync agent as a service, and its subcommand <c>pwsync agent status</c>.</summary>
internal sealed class AgentCommand : CliCommand
{
    private readonly Option<string> _config = ConfigOption();
    private readonly Option<bool> _once = new("--once") { Description = "Run one cycle and exit (cron, tests); exit code 6 when the cycle failed." };
    private readonly Option<bool> _fullSync = new("--full-sync")
    {
        Description = "Request a full sync: every in-scope user's password is sent again at the next cycle (saved, so a restart still does it; also reaches an agent that is already running).",
    };

    private readonly Option<string> _statusConfig = ConfigOption();

    /// <inheritdoc />
    public override string Name => "agent";

    /// <inheritdoc />
    public override string Description => "Run the sync agent: a cycle every 2 minutes into a records outbox ('agent status' shows its state).";

    /// <inheritdoc />
    public override string HelpNotes =>
        "Runs password hash sync unattended: every 2 minutes it reads the directory's changes, writes the records of\n" +
        "the users whose password changed to the outbox directory (JSON-lines segments with the records of\n" +
        "'pwsync sync --output'), retries what failed and saves the watermark. Under systemd (Type=notify) it reports\n" +
        "ready and stops cleanly on SIGTERM; the next start resumes from the last saved watermark.\n" +
        "Configuration: the JSON file, overridden by environment variables PWSYNC_<Section>__<Key>; see docs/agent.md.\n" +
        "'pwsync agent status --config FILE' prints the last cycle, the watermark age, the retry queue and the last errors.\n\n" +
        "Exit codes: 0 ok, 2 usage, 3 configuration invalid, 5 the state is in use by another process (the message\n" +
        "names the lock file), 6 the --once cycle failed or the agent stopped on an error.\n\n" +
        "Example:\n  pwsync agent --config /etc/pwsync/agent.json\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command)
    {
        command.Add(_config);
        command.Add(_once);
        command.Add(_fullSync);
    }

    /// <inheritdoc />
    protected override void AddSubcommands(Command command, CliContext context)
    {
        var status = new Command("status", "Show the agent's state: last cycle, watermark age, retry queue, last errors (reads the state without its lock).");
        status.Add(_statusConfig);
        status.SetAction(result => Guard("agent status", context, () => AgentStatusReport.Run(result.GetValue(_statusConfig)!, context)));
        command.Add(status);
    }

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context) =>
        AgentProgram.Run(new AgentInvocation(result.GetValue(_config)!, result.GetValue(_once), result.GetValue(_fullSync)), context);

    private static Option<string> ConfigOption() => new("--config") { Description = "The agent configuration (JSON; see docs/agent.md).", HelpName = "FILE", Required = true };
}
