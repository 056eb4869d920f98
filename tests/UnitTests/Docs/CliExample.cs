using System.Text;

namespace PasswordHashSync.UnitTests.Docs;

/// <summary>One <c>$ command</c> of a <c>```console</c> block and the output the document shows for it.</summary>
/// <param name="Command">The command line, continuation lines (<c>\</c> at the end) joined.</param>
/// <param name="Written">The command as the document writes it (with its <c>$ </c> and continuation lines), each line ending in <c>\n</c>.</param>
/// <param name="ExpectedOutput">The lines after the command up to the next one, each ending in <c>\n</c>.</param>
internal sealed record CliExampleStep(string Command, string Written, string ExpectedOutput);

/// <summary>
/// The <c>```console</c> blocks of the documents, and the small shell subset their commands use, run against the
/// real pwsync (in-process through <see cref="Cli.CliRunner"/>):
/// <c>pwsync ARGS</c>, <c>printf %s 'TEXT' | pwsync ARGS</c>, <c>pwsync ARGS &lt; FILE</c> and <c>echo $?</c>.
/// Anything else fails the test, so a document cannot show output that no test produced.
/// </summary>
internal static class CliExample
{
    private const string Prompt = "$ ";

    /// <summary>Splits a console block into its commands and their shown output.</summary>
    public static IReadOnlyList<CliExampleStep> Parse(FencedBlock block)
    {
        string[] lines = block.Text.TrimEnd('\n').Split('\n');
        if (lines.Length == 0 || !lines[0].StartsWith(Prompt, StringComparison.Ordinal))
        {
            throw new FormatException($"line {block.LineNumber}: a console block must start with a '$ ' command line");
        }

        var steps = new List<CliExampleStep>();
        int i = 0;
        while (i < lines.Length)
        {
            var command = new StringBuilder(lines[i][Prompt.Length..]);
            var written = new StringBuilder(lines[i]).Append('\n');
            while (command.Length > 0 && command[^1] == '\\' && i + 1 < lines.Length)
            {
                command.Length--;
                command.Append(' ').Append(lines[++i].Trim());
                written.Append(lines[i]).Append('\n');
            }

            var output = new StringBuilder();
            while (++i < lines.Length && !lines[i].StartsWith(Prompt, StringComparison.Ordinal))
            {
                output.Append(lines[i]).Append('\n');
            }

            steps.Add(new CliExampleStep(command.ToString().Trim(), written.ToString(), output.ToString()));
        }

        return steps;
    }

    /// <summary>Runs one command in the current directory; returns what a terminal shows (standard output, then error).</summary>
    /// <param name="command">The command line.</param>
    /// <param name="lastExitCode">The exit code of the previous command (for <c>echo $?</c>); updated.</param>
    public static string Run(string command, ref int lastExitCode)
    {
        List<string> words = Split(command);
        if (words is ["echo", "$?"])
        {
            return lastExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n";
        }

        string stdin = "";
        if (words is ["printf", "%s", _, "|", ..])
        {
            stdin = words[2];
            words = words[4..];
        }

        int redirect = words.IndexOf("<");
        if (redirect >= 0)
        {
            if (redirect != words.Count - 2)
            {
                throw new FormatException($"'{command}': '<' must be followed by exactly one file, at the end");
            }

            stdin = File.ReadAllText(words[^1]);
            words = words[..redirect];
        }

        if (words.Count == 0 || words[0] != "pwsync" || words.Skip(1).Any(w => w is "|" or "<" or ">" or ";" or "&&"))
        {
            throw new FormatException($"'{command}': examples may only run pwsync (optionally fed by printf %s or '<'), or echo $?");
        }

        Cli.CliRunner.Outcome outcome = Cli.CliRunner.Run(stdin, [.. words.Skip(1)]);
        lastExitCode = outcome.ExitCode;
        return outcome.StandardOutput + outcome.StandardError;
    }

    /// <summary>Shell word splitting: single quotes are literal, double quotes may not expand anything, <c>\</c> escapes.</summary>
    public static List<string> Split(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            switch (c)
            {
                case ' ' or '\t':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    break;
                case '\'':
                    int close = command.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new FormatException($"'{command}': unclosed single quote");
                    }

                    word.Append(command, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    int end = command.IndexOf('"', i + 1);
                    if (end < 0 || command.AsSpan(i + 1, end - i - 1).IndexOfAny('$', '`', '\\') >= 0)
                    {
                        throw new FormatException($"'{command}': use single quotes; double quotes would expand");
                    }

                    word.Append(command, i + 1, end - i - 1);
                    i = end;
                    inWord = true;
                    break;
                case '\\' when i + 1 < command.Length:
                    word.Append(command[++i]);
                    inWord = true;
                    break;
                case '$' when !(command[(i + 1)..] is "?" && words is ["echo"]):
                    throw new FormatException($"'{command}': the harness expands no variables; write the value");
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
