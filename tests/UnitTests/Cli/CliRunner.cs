using System.Text;
using PasswordHashSync.Cli;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>Runs pwsync in-process with in-memory standard streams.</summary>
internal static class CliRunner
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    public static Outcome Run(string stdin, params string[] arguments) => Run(stdin, inputIsTerminal: false, prompt: null, arguments);

    public static Outcome Run(string stdin, bool inputIsTerminal, Func<string, string>? prompt, params string[] arguments) =>
        RunBytes(Encoding.UTF8.GetBytes(stdin), inputIsTerminal, prompt, arguments);

    public static Outcome RunBytes(byte[] stdin, bool inputIsTerminal, Func<string, string>? prompt, params string[] arguments) =>
        RunBytes(stdin, inputIsTerminal, errorIsTerminal: false, prompt, arguments);

    public static Outcome RunBytes(byte[] stdin, bool inputIsTerminal, bool errorIsTerminal, Func<string, string>? prompt, params string[] arguments)
    {
        using var input = new MemoryStream(stdin);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var context = new CliContext(input, output, error, inputIsTerminal, errorIsTerminal)
        {
            PromptWithoutEcho = prompt ?? (_ => throw new InvalidOperationException("no prompt expected")),
        };
        int code = CliApplication.Run(arguments, context);
        return new Outcome(code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}
