using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Commands;

/// <summary>One pwsync command: its name, help, options, and what it does.</summary>
internal abstract class Command
{
    /// <summary>The word that selects the command, for example <c>nthash</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for the command list.</summary>
    public abstract string Summary { get; }

    /// <summary>The full help text shown by <c>--help</c>.</summary>
    public abstract string Help { get; }

    /// <summary>Options that take a value.</summary>
    protected virtual IReadOnlyCollection<string> ValueOptions => [];

    /// <summary>Options that take no value.</summary>
    protected virtual IReadOnlyCollection<string> FlagOptions => [];

    /// <summary>Runs the command: prints help for <c>--help</c>/<c>-h</c>, otherwise parses and executes.</summary>
    /// <param name="arguments">The words after the command name.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="UsageException">The command line is wrong.</exception>
    /// <exception cref="DataException">The input is wrong.</exception>
    public virtual int Run(IReadOnlyList<string> arguments, CliContext context)
    {
        if (arguments.Contains("--help") || arguments.Contains("-h"))
        {
            context.Out.Write(Help);
            return ExitCodes.Ok;
        }
        ParsedArguments parsed = ParsedArguments.Parse(arguments, ValueOptions, FlagOptions);
        return Execute(parsed, context);
    }

    /// <summary>Does the work.</summary>
    /// <param name="arguments">The parsed options.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    protected abstract int Execute(ParsedArguments arguments, CliContext context);
}
