using System.CommandLine;
using PasswordHashSync.Cli.Execution;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync diagnose</c>: every reason one user's password would not sync, with the remedy.</summary>
internal sealed class DiagnoseCommand : CliCommand
{
    private readonly Option<string> _user = new("--user") { Description = "The account to diagnose.", HelpName = "NAME", Required = true };
    private readonly Option<string> _input = new("--input") { Description = "The LDIF export (default: the bundled sample).", HelpName = "FILE" };
    private readonly Option<string> _settings = new("--settings") { Description = "Sync settings as JSON (see the README, pwsync sync).", HelpName = "FILE" };

    /// <inheritdoc />
    public override string Name => "diagnose";

    /// <inheritdoc />
    public override string Description => "Every reason a user's password would not sync, with the remedy.";

    /// <inheritdoc />
    public override string HelpNotes =>
        "Finds the user (by sAMAccountName, userPrincipalName or distinguished name, case-insensitive) in the export\n" +
        "and lists every finding of the sync engine: the reason, the status it maps to, what it means, and the remedy.\n" +
        "Exit code 0 when the user was found (whether or not the password syncs), 3 when not.\n\n" +
        "Example:\n  pwsync diagnose --input export.ldif --user grace.disabled\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command)
    {
        command.Add(_user);
        command.Add(_input);
        command.Add(_settings);
    }

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context) =>
        DiagnoseExecutor.Run(result.GetValue(_user)!, result.GetValue(_input), result.GetValue(_settings), context);
}
