using System.CommandLine;
using System.CommandLine.Parsing;
using PasswordHashSync.Cli.Commands;

namespace PasswordHashSync.Cli;

/// <summary>
/// Prints the errors of a command line that did not parse (exit 2). System.CommandLine's own messages are kept,
/// except for stray words, which pwsync never repeats: a word typed where it does not belong may be a password.
/// </summary>
internal static class ParseErrorReport
{
    /// <summary>The longest unknown option name repeated in a message.</summary>
    private const int MaxEchoedLength = 40;

    /// <summary>Writes the errors of <paramref name="result"/> to <paramref name="error"/>.</summary>
    /// <param name="result">The failed parse.</param>
    /// <param name="arguments">The command line.</param>
    /// <param name="commands">The commands.</param>
    /// <param name="error">Standard error.</param>
    public static void Write(ParseResult result, IReadOnlyList<string> arguments, IReadOnlyList<CliCommand> commands, TextWriter error)
    {
        CliCommand? command = result.CommandResult.Command is RootCommand ? null : commands.FirstOrDefault(c => c.Name == result.CommandResult.Command.Name);
        if (command is null)
        {
            string? first = result.UnmatchedTokens.Count > 0 ? result.UnmatchedTokens[0] : null;
            string message = first switch
            {
                null => string.Join("; ", result.Errors.Select(e => e.Message)),
                _ when first.StartsWith("--", StringComparison.Ordinal) => $"unknown option '{Shorten(first)}'",
                _ => UnknownCommand(first, commands),
            };
            error.WriteLine($"pwsync: {message}");
            error.WriteLine("Run 'pwsync --help' for the list of commands.");
            return;
        }
        int commandIndex = IndexOf(arguments, command.Name, 0);
        foreach (string token in result.UnmatchedTokens)
        {
            error.WriteLine($"pwsync {command.Name}: {StrayWord(token, IndexOf(arguments, token, commandIndex + 1) - commandIndex, command)}");
        }
        foreach (ParseError parseError in result.Errors)
        {
            // The "Unrecognized command or argument 'WORD'" errors repeat the word; the stray words are reported above.
            if (parseError.SymbolResult is CommandResult && result.UnmatchedTokens.Count > 0)
            {
                continue;
            }
            error.WriteLine($"pwsync {command.Name}: {parseError.Message}");
        }
        error.WriteLine($"Run 'pwsync {command.Name} --help' for usage.");
    }

    /// <summary>The message for a first word that is no command: named when it looks like one, withheld otherwise.</summary>
    /// <param name="word">The word.</param>
    /// <param name="commands">The commands.</param>
    /// <returns>The message.</returns>
    internal static string UnknownCommand(string word, IReadOnlyList<CliCommand> commands)
    {
        if (!LooksLikeCommandName(word))
        {
            return "unknown command (not repeated: it does not look like a command name and may be a secret typed in the wrong place)";
        }
        string? nearest = commands.Select(c => c.Name).Where(n => EditDistance(n, word) <= 2 || n.StartsWith(word, StringComparison.Ordinal)).FirstOrDefault();
        return nearest is null ? $"unknown command '{word}'" : $"unknown command '{word}'; did you mean '{nearest}'?";
    }

    /// <summary>A command name: 1 to 24 lowercase ASCII letters and hyphens. Passwords nearly always hold other characters, so only such a word is repeated.</summary>
    /// <param name="word">The word.</param>
    /// <returns>Whether the word may be repeated in a message.</returns>
    internal static bool LooksLikeCommandName(string word) =>
        word.Length is > 0 and <= 24 && char.IsAsciiLetterLower(word[0]) && word.All(c => char.IsAsciiLetterLower(c) || c == '-');

    private static string StrayWord(string token, int position, CliCommand command)
    {
        if (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
        {
            return $"unknown option '{Shorten(token)}'";
        }
        // The word is not echoed: it may be a password typed where it does not belong.
        return command.TakesPassword
            ? $"unexpected argument #{position}: options start with --, and a password is never a plain argument (use --password-stdin)"
            : $"unexpected argument #{position}: pwsync {command.Name} takes no plain arguments, only options starting with --";
    }

    private static int IndexOf(IReadOnlyList<string> arguments, string word, int start)
    {
        for (int i = start; i < arguments.Count; i++)
        {
            if (arguments[i] == word)
            {
                return i;
            }
        }
        return start;
    }

    private static string Shorten(string word)
    {
        int equals = word.IndexOf('=', StringComparison.Ordinal);
        string name = equals > 0 ? word[..equals] : word;
        return name.Length <= MaxEchoedLength ? name : name[..MaxEchoedLength] + "...";
    }

    private static int EditDistance(string a, string b)
    {
        int[] previous = new int[b.Length + 1];
        int[] current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
