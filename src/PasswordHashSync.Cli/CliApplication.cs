using System.Reflection;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Commands;

namespace PasswordHashSync.Cli;

/// <summary>Picks the command named by the first word and runs it; maps errors to exit codes.</summary>
internal static class CliApplication
{
    /// <summary>Every command, in the order the help lists them.</summary>
    public static IReadOnlyList<Command> Commands { get; } =
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
    ];

    /// <summary>Runs pwsync.</summary>
    /// <param name="arguments">The command line.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Run(IReadOnlyList<string> arguments, CliContext context)
    {
        if (arguments.Count == 0)
        {
            context.Error.Write(GeneralHelp());
            return ExitCodes.Usage;
        }
        string name = arguments[0];
        if (name is "--help" or "-h" or "help")
        {
            if (arguments.Count > 1 && Find(arguments[1]) is Command topic)
            {
                context.Out.Write(topic.Help);
            }
            else
            {
                context.Out.Write(GeneralHelp());
            }
            return ExitCodes.Ok;
        }
        if (name == "--version")
        {
            context.Out.WriteLine(Version());
            return ExitCodes.Ok;
        }
        Command? command = Find(name);
        if (command is null)
        {
            // Only a short, option-like or word-like name is echoed: a mistyped password must not be.
            context.Error.WriteLine("pwsync: unknown command. Run 'pwsync --help' for the list.");
            return ExitCodes.Usage;
        }
        try
        {
            return command.Run([.. arguments.Skip(1)], context);
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"pwsync {command.Name}: {e.Message}");
            context.Error.WriteLine($"Run 'pwsync {command.Name} --help' for usage.");
            return ExitCodes.Usage;
        }
        catch (DataException e)
        {
            context.Error.WriteLine($"pwsync {command.Name}: {e.Message}");
            return ExitCodes.DataError;
        }
        catch (IOException e)
        {
            // For example standard output closed early (pwsync ... | head).
            context.Error.WriteLine($"pwsync {command.Name}: I/O error: {e.Message}");
            return ExitCodes.DataError;
        }
    }

    private static Command? Find(string name) => Commands.FirstOrDefault(c => c.Name == name);

    private static string Version() =>
        "pwsync " + (typeof(CliApplication).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    private static string GeneralHelp()
    {
        var text = new System.Text.StringBuilder();
        text.Append("Usage: pwsync <command> [options]      pwsync <command> --help for details\n\nCommands:\n");
        foreach (Command command in Commands)
        {
            text.Append("  ").Append(command.Name.PadRight(10)).Append(command.Summary).Append('\n');
        }
        text.Append("\nPasswords are read from standard input (--password-stdin) or a no-echo prompt, never from a plain argument.\n");
        text.Append("Exit codes: 0 ok (verify: match), 1 verify: no match, 2 usage error, 3 input or data error.\n");
        return text.ToString();
    }
}
