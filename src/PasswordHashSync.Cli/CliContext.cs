using System.Text;
using PasswordHashSync.Cli.Input;

namespace PasswordHashSync.Cli;

/// <summary>The standard streams a command works with; tests give their own, the program gives the console's.</summary>
internal sealed class CliContext
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private TextWriter? _out;

    /// <summary>Creates a context.</summary>
    /// <param name="input">Standard input, as bytes.</param>
    /// <param name="output">Standard output, as bytes.</param>
    /// <param name="error">Standard error, as text.</param>
    /// <param name="inputIsTerminal">Whether standard input is an interactive terminal (a no-echo prompt is possible).</param>
    /// <param name="errorIsTerminal">Whether standard error is a terminal (a progress bar is drawn).</param>
    public CliContext(Stream input, Stream output, TextWriter error, bool inputIsTerminal = false, bool errorIsTerminal = false)
    {
        Input = input;
        Output = output;
        Error = error;
        InputIsTerminal = inputIsTerminal;
        ErrorIsTerminal = errorIsTerminal;
    }

    /// <summary>Standard input, as bytes.</summary>
    public Stream Input { get; }

    /// <summary>Standard output, as bytes (the batch command writes UTF-8 JSON lines here).</summary>
    public Stream Output { get; }

    /// <summary>Standard output as UTF-8 text, flushed after every write.</summary>
    public TextWriter Out => _out ??= new StreamWriter(Output, s_utf8, bufferSize: 4096, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };

    /// <summary>Standard error, as text.</summary>
    public TextWriter Error { get; }

    /// <summary>Whether standard input is an interactive terminal.</summary>
    public bool InputIsTerminal { get; }

    /// <summary>Whether standard error is a terminal.</summary>
    public bool ErrorIsTerminal { get; }

    /// <summary>Reads a password from the terminal without echo; only called when <see cref="InputIsTerminal"/>.</summary>
    public Func<string, string> PromptWithoutEcho { get; init; } = ConsolePrompt.ReadWithoutEcho;

    /// <summary>The context of the real process.</summary>
    /// <returns>A context over the console's streams.</returns>
    public static CliContext FromConsole()
    {
        var error = new StreamWriter(Console.OpenStandardError(), s_utf8) { AutoFlush = true, NewLine = "\n" };
        return new CliContext(
            Console.OpenStandardInput(),
            Console.OpenStandardOutput(),
            error,
            inputIsTerminal: !Console.IsInputRedirected,
            errorIsTerminal: !Console.IsErrorRedirected);
    }
}
