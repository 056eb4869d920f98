using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Execution;

/// <summary>Prints every finding of the sync engine for one user, with the remedies.</summary>
internal static class DiagnoseExecutor
{
    /// <summary>Finds the user and prints the diagnosis.</summary>
    /// <param name="name">sAMAccountName, userPrincipalName or distinguished name (case-insensitive).</param>
    /// <param name="input">The LDIF export, or <see langword="null"/> for the bundled sample.</param>
    /// <param name="settingsPath">The sync settings file, or <see langword="null"/>.</param>
    /// <param name="context">The streams.</param>
    /// <returns>0 when the user was found.</returns>
    /// <exception cref="DataException">The user is not in the export, or the input is malformed.</exception>
    public static int Run(string name, string? input, string? settingsPath, CliContext context)
    {
        PasswordHashSyncSettings settings = SettingsFile.Load(settingsPath, out LdifReaderOptions limits);
        IReadOnlyList<DirectoryUser> users = SyncPlanner.CollapseToLatest(DirectoryInput.Load(input, limits));
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
