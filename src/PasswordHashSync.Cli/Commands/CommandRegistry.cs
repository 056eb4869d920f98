namespace PasswordHashSync.Cli.Commands;

/// <summary>Every pwsync command, in the order the help lists them.</summary>
/// <remarks>Adding a command: one file in <c>Commands/</c> deriving from <see cref="CliCommand"/>, and one line here.</remarks>
internal static class CommandRegistry
{
    /// <summary>Creates a fresh instance of every command (options are per instance).</summary>
    /// <returns>The commands.</returns>
    public static IReadOnlyList<CliCommand> Create() =>
    [
        new NtHashCommand(),
        new LmHashCommand(),
        new KerberosCommand(),
        new DigestCommand(),
        new VerifyCommand(),
        new KeytabCommand(),
        new BatchCommand(),
        new SyncCommand(),
        new ReplicateCommand(),
        new DiagnoseCommand(),
        new AgentCommand(),
    ];
}
