using PasswordHashSync.Cli.Agent;
using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync agent</c>: the sync agent as a service, and <c>pwsync agent status</c>.</summary>
internal sealed class AgentCommand : Command
{
    private const string ConfigOption = "--config";
    private const string OnceOption = "--once";
    private const string FullSyncOption = "--full-sync";

    /// <inheritdoc />
    public override string Name => "agent";

    /// <inheritdoc />
    public override string Summary => "run the sync agent (a cycle every 2 minutes into a records outbox); 'agent status' shows its state";

    /// <inheritdoc />
    public override string Help =>
        "Usage: pwsync agent --config agent.json [--once] [--full-sync]\n" +
        "       pwsync agent status --config agent.json\n\n" +
        "Runs password hash sync unattended: every 2 minutes it reads the directory's changes, writes the records of\n" +
        "the users whose password changed to the outbox directory (JSON-lines segments, the records of\n" +
        "'pwsync sync --output'), retries what failed and saves the watermark. Under systemd (Type=notify) it reports\n" +
        "ready and stops cleanly on SIGTERM; the next start resumes from the last saved watermark.\n" +
        "Configuration: the JSON file, overridden by environment variables PWSYNC_<Section>__<Key>; see docs/agent.md.\n\n" +
        "Options:\n" +
        "  --config FILE   the agent configuration (JSON)\n" +
        "  --once          run one cycle and exit (cron, tests); exit code 5 when the cycle failed\n" +
        "  --full-sync     request a full sync: every in-scope user's password is sent again at the next cycle\n" +
        "                  (saved, so a restart still does it; reaches an agent that is already running)\n\n" +
        "status prints the last cycle, the watermark age, the retry queue and the last errors from the state file.\n\n" +
        "Exit codes: 0 ok, 2 usage, 3 configuration invalid, 4 the state is in use by another process (the message\n" +
        "names the lock file), 5 the cycle (--once) failed or the agent stopped on an error.\n";

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ValueOptions => [ConfigOption];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> FlagOptions => [OnceOption, FullSyncOption];

    /// <inheritdoc />
    public override int Run(IReadOnlyList<string> arguments, CliContext context)
    {
        if (arguments.Count > 0 && arguments[0] == "status")
        {
            if (arguments.Contains("--help") || arguments.Contains("-h"))
            {
                context.Out.Write(Help);
                return ExitCodes.Ok;
            }

            ParsedArguments parsed = ParsedArguments.Parse([.. arguments.Skip(1)], [ConfigOption], []);
            return AgentStatusReport.Run(Required(parsed), context);
        }

        return base.Run(arguments, context);
    }

    /// <inheritdoc />
    protected override int Execute(ParsedArguments arguments, CliContext context) =>
        AgentProgram.Run(new AgentInvocation(Required(arguments), arguments.Has(OnceOption), arguments.Has(FullSyncOption)), context);

    private static string Required(ParsedArguments arguments) =>
        arguments.Get(ConfigOption) ?? throw new UsageException("--config FILE is required (the agent configuration, see docs/agent.md)");
}
