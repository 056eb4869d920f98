using System.CommandLine;
using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Commands;

/// <summary>
/// One pwsync command: its name, help, options (System.CommandLine symbols) and the executor call. Parsing and
/// execution stay apart: a command binds its options into typed values and hands them to an executor
/// (<c>Execution/</c>), which never sees the command line.
/// </summary>
/// <remarks>To add a command, derive from this class in one file of <c>Commands/</c> and add one line to <see cref="CommandRegistry"/>.</remarks>
internal abstract class CliCommand
{
    /// <summary>The word that selects the command, for example <c>nthash</c>.</summary>
    public abstract string Name { get; }

    /// <summary>What the command does: the first lines of its help and its line in the command list.</summary>
    public abstract string Description { get; }

    /// <summary>Text printed after the generated help: details and examples.</summary>
    public virtual string HelpNotes => string.Empty;

    /// <summary>Whether the command reads a password (a stray word then gets the "a password is never a plain argument" hint).</summary>
    public virtual bool TakesPassword => false;

    /// <summary>Builds the System.CommandLine command whose action runs <see cref="Execute"/> on <paramref name="context"/>.</summary>
    /// <param name="context">The streams.</param>
    /// <returns>The command.</returns>
    public Command Build(CliContext context)
    {
        var command = new Command(Name, Description);
        AddOptions(command);
        command.SetAction(result => Invoke(result, context));
        AddSubcommands(command, context);
        return command;
    }

    /// <summary>Adds subcommands (for example <c>agent status</c>); their actions map errors with <see cref="Guard"/>.</summary>
    /// <param name="command">The command being built.</param>
    /// <param name="context">The streams.</param>
    protected virtual void AddSubcommands(Command command, CliContext context)
    {
    }

    /// <summary>Runs a subcommand's work with the same error-to-exit-code mapping as <see cref="Execute"/>.</summary>
    /// <param name="name">The subcommand's full name for messages, for example <c>agent status</c>.</param>
    /// <param name="context">The streams.</param>
    /// <param name="run">The work.</param>
    /// <returns>The exit code.</returns>
    protected static int Guard(string name, CliContext context, Func<int> run)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return run();
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"pwsync {name}: {e.Message}");
            context.Error.WriteLine($"Run 'pwsync {name} --help' for usage.");
            return ExitCodes.Usage;
        }
        catch (DataException e)
        {
            context.Error.WriteLine($"pwsync {name}: {e.Message}");
            return ExitCodes.DataError;
        }
        catch (IOException e)
        {
            context.Error.WriteLine($"pwsync {name}: I/O error: {e.Message}");
            return ExitCodes.DataError;
        }
    }

    /// <summary>Adds the command's options (kept as fields, so <see cref="Execute"/> can read them).</summary>
    /// <param name="command">The command being built.</param>
    protected abstract void AddOptions(Command command);

    /// <summary>Reads the parsed options and calls the executor.</summary>
    /// <param name="result">The parse result (without errors).</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="UsageException">The options contradict each other.</exception>
    /// <exception cref="DataException">The input is wrong.</exception>
    protected abstract int Execute(ParseResult result, CliContext context);

    // I/O errors are, for example, standard output closed early (pwsync ... | head).
    private int Invoke(ParseResult result, CliContext context) => Guard(Name, context, () => Execute(result, context));
}
