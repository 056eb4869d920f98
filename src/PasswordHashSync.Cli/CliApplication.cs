using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using PasswordHashSync.Cli.Commands;

namespace PasswordHashSync.Cli;

/// <summary>
/// pwsync on System.CommandLine: generated help, tab completion (the <c>[suggest]</c> directive that
/// <c>dotnet-suggest</c> calls), response files (<c>@file</c>), POSIX bundling of short flags. Maps parse errors to
/// exit code 2 and the commands' errors to the documented exit codes.
/// </summary>
internal static class CliApplication
{
    /// <summary>The program's name in help and messages, whatever process hosts it.</summary>
    public const string ProgramName = "pwsync";

    private const string GeneralNotes =
        "Passwords are read from standard input (--password-stdin) or a no-echo prompt, never from a plain argument.\n" +
        "Exit codes: 0 ok (verify: match), 1 verify: no match, 2 usage error, 3 input or data error,\n" +
        "4 the domain controller is unreachable or refused the credentials or the replication rights,\n" +
        "5 the sync state is in use by another process (the message names the lock file), 6 the agent or its --once cycle failed.\n" +
        "Response files: @FILE stands for the words in FILE. Tab completion: dotnet-suggest (pwsync [suggest] ...).\n";

    private static readonly ParserConfiguration s_parserConfiguration = new() { EnablePosixBundling = true };

    /// <summary>Runs pwsync.</summary>
    /// <param name="arguments">The command line.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Run(IReadOnlyList<string> arguments, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<CliCommand> commands = CommandRegistry.Create();
        RootCommand root = BuildRoot(commands, context);
        if (arguments.Count == 0)
        {
            context.Error.Write(Render(root, ["--help"], context));
            return ExitCodes.Usage;
        }
        if (arguments[0] == "help")
        {
            // "pwsync help" and "pwsync help COMMAND", as before System.CommandLine.
            arguments = arguments.Count > 1 && commands.Any(c => c.Name == arguments[1]) ? [arguments[1], "--help"] : ["--help"];
        }
        ParseResult result = root.Parse(arguments, s_parserConfiguration);
        if (result.Action is ParseErrorAction)
        {
            ParseErrorReport.Write(result, arguments, commands, context.Error);
            return ExitCodes.Usage;
        }
        var generated = new StringWriter();
        int code = result.Invoke(new InvocationConfiguration { Output = generated, Error = context.Error, EnableDefaultExceptionHandler = false });
        context.Out.Write(NameTheProgram(generated.ToString(), root));
        return code;
    }

    private static RootCommand BuildRoot(IReadOnlyList<CliCommand> commands, CliContext context)
    {
        var root = new RootCommand(
            "pwsync: NT and LM hashes, Kerberos keys and keytabs, salted digests (Entra Connect's v1;PPH1_MD4), " +
            "JSON-lines batches, and password hash sync runs over directory exports.");
        var notes = new Dictionary<Command, string> { [root] = GeneralNotes };
        foreach (CliCommand command in commands)
        {
            Command built = command.Build(context);
            root.Add(built);
            notes[built] = command.HelpNotes;
        }
        HelpOption help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithNotesAction((HelpAction)help.Action!, notes);
        return root;
    }

    private static string Render(RootCommand root, string[] arguments, CliContext context)
    {
        var generated = new StringWriter();
        _ = root.Parse(arguments, s_parserConfiguration).Invoke(new InvocationConfiguration { Output = generated, Error = context.Error });
        return NameTheProgram(generated.ToString(), root);
    }

    // The root command is named after the executable: pwsync when installed, the test host under a test runner.
    private static string NameTheProgram(string text, RootCommand root) =>
        root.Name == ProgramName ? text : text.Replace("Usage:\n  " + root.Name, "Usage:\n  " + ProgramName, StringComparison.Ordinal);
}
