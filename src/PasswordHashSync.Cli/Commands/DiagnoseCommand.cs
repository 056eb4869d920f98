using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync diagnose</c>: every reason one user's password would not sync, with the remedy.</summary>
internal sealed class DiagnoseCommand : Command
{
    private const string InputOption = "--input";
    private const string UserOption = "--user";
    private const string SettingsOption = "--settings";

    /// <inheritdoc />
    public override string Name => "diagnose";

    /// <inheritdoc />
    public override string Summary => "every reason a user's password would not sync, with the remedy";

    /// <inheritdoc />
    public override string Help =>
        "Usage: pwsync diagnose --user NAME [--input export.ldif] [--settings settings.json]\n\n" +
        "Finds the user (by sAMAccountName, userPrincipalName or distinguished name, case-insensitive) in the export\n" +
        "and lists every finding of the sync engine: the reason, the status it maps to, what it means, and the remedy.\n" +
        "Exit code 0 when the user was found (whether or not the password syncs), 3 when not.\n\n" +
        "Options:\n" +
        "  --user NAME          the account to diagnose\n" +
        "  --input FILE         the LDIF export (default: the bundled sample)\n" +
        "  --settings FILE      sync settings as JSON (see the README, pwsync sync)\n\n" +
        "Example:\n  pwsync diagnose --input export.ldif --user grace.disabled\n";

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ValueOptions => [InputOption, UserOption, SettingsOption];

    /// <inheritdoc />
    protected override int Execute(ParsedArguments arguments, CliContext context)
    {
        string name = arguments.Require(UserOption);
        string? input = arguments.Get(InputOption);
        PasswordHashSyncSettings settings = SettingsFile.Load(arguments.Get(SettingsOption));
        IReadOnlyList<DirectoryUser> users = SyncPlanner.CollapseToLatest(DirectoryInput.Load(input));
        DirectoryUser user = users.FirstOrDefault(u => Matches(u, name))
            ?? throw new DataException($"no object named '{name}' in {input ?? "the bundled sample"}");

        UserSyncDiagnosis diagnosis;
        try
        {
            diagnosis = new SyncDiagnostics().Diagnose(user, settings);
        }
        catch (FormatException e)
        {
            throw new DataException($"{user.DistinguishedName}: {e.Message}");
        }
        TextWriter output = context.Out;
        output.WriteLine($"User:      {user.SamAccountName ?? "(no sAMAccountName)"}");
        output.WriteLine($"DN:        {user.DistinguishedName}");
        output.WriteLine($"Status:    {diagnosis.Status}");
        output.WriteLine($"Will sync: {(diagnosis.WillSync ? "yes" : "no")}");
        if (diagnosis.Findings.Count == 0)
        {
            output.WriteLine();
            output.WriteLine("Nothing prevents this password from syncing.");
            return ExitCodes.Ok;
        }
        foreach (SyncFinding finding in diagnosis.Findings)
        {
            output.WriteLine();
            output.WriteLine($"- {finding.Reason} ({finding.Status}){(finding.PreventsSync ? ", prevents sync" : string.Empty)}");
            output.WriteLine($"  {finding.Description}");
            output.WriteLine($"  Remedy: {finding.Remedy}");
        }
        return ExitCodes.Ok;
    }

    private static bool Matches(DirectoryUser user, string name) =>
        string.Equals(user.SamAccountName, name, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(user.UserPrincipalName, name, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(user.DistinguishedName, name, StringComparison.OrdinalIgnoreCase);
}
