using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace PasswordHashSync.Cli;

/// <summary>
/// <c>--help</c>: System.CommandLine's generated help (description, usage, options, commands), followed by the
/// command's notes (details, examples; for the root, the password rule and the exit codes).
/// </summary>
internal sealed class HelpWithNotesAction : SynchronousCommandLineAction
{
    private readonly HelpAction _generated;
    private readonly IReadOnlyDictionary<Command, string> _notes;

    /// <summary>Wraps the generated help.</summary>
    /// <param name="generated">System.CommandLine's help action.</param>
    /// <param name="notes">The text to print after the help of each command.</param>
    public HelpWithNotesAction(HelpAction generated, IReadOnlyDictionary<Command, string> notes)
    {
        _generated = generated;
        _notes = notes;
    }

    /// <summary>Help is shown even when the rest of the line has errors, as System.CommandLine's own help is.</summary>
    public override bool ClearsParseErrors => true;

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        _ = _generated.Invoke(parseResult);
        if (_notes.TryGetValue(parseResult.CommandResult.Command, out string? notes) && notes.Length > 0)
        {
            parseResult.InvocationConfiguration.Output.Write(notes);
        }
        return ExitCodes.Ok;
    }
}
