using System.Globalization;

namespace PasswordHashSync.Cli.Arguments;

/// <summary>
/// The options of one command line: <c>--name value</c>, <c>--name=value</c> and <c>--flag</c>.
/// Unknown options, missing values and stray positional words are usage errors.
/// </summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private ParsedArguments()
    {
    }

    /// <summary>Parses <paramref name="arguments"/> against the options a command declares.</summary>
    /// <param name="arguments">The words after the command name.</param>
    /// <param name="valueOptions">Options that take a value, with their leading dashes.</param>
    /// <param name="flagOptions">Options that take no value.</param>
    /// <returns>The parsed options.</returns>
    /// <exception cref="UsageException">An option is unknown, lacks its value, or a word is not an option.</exception>
    public static ParsedArguments Parse(IReadOnlyList<string> arguments, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions)
    {
        var parsed = new ParsedArguments();
        for (int i = 0; i < arguments.Count; i++)
        {
            string word = arguments[i];
            if (!word.StartsWith("--", StringComparison.Ordinal) || word.Length == 2)
            {
                // The word is not echoed: it may be a password typed where it does not belong.
                throw new UsageException($"unexpected argument #{i + 1}: options start with --, and a password is never a plain argument (use --password-stdin)");
            }
            string name = word;
            string? inlineValue = null;
            int equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = word[..equals];
                inlineValue = word[(equals + 1)..];
            }
            if (valueOptions.Contains(name))
            {
                string value;
                if (inlineValue is not null)
                {
                    value = inlineValue;
                }
                else if (i + 1 < arguments.Count)
                {
                    value = arguments[++i];
                }
                else
                {
                    throw new UsageException($"option {name} needs a value");
                }
                if (!parsed._values.TryGetValue(name, out List<string>? list))
                {
                    parsed._values[name] = list = [];
                }
                list.Add(value);
            }
            else if (flagOptions.Contains(name) && inlineValue is null)
            {
                parsed._flags.Add(name);
            }
            else
            {
                throw new UsageException($"unknown option '{Shorten(name)}'");
            }
        }
        return parsed;
    }

    /// <summary>Whether the flag was given.</summary>
    /// <param name="name">The flag, for example <c>--password-stdin</c>.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool Has(string name) => _flags.Contains(name) || _values.ContainsKey(name);

    /// <summary>The value of an option given at most once.</summary>
    /// <param name="name">The option.</param>
    /// <returns>The value, or <see langword="null"/> when absent.</returns>
    /// <exception cref="UsageException">The option was given more than once.</exception>
    public string? Get(string name)
    {
        if (!_values.TryGetValue(name, out List<string>? list))
        {
            return null;
        }
        if (list.Count > 1)
        {
            throw new UsageException($"option {name} was given more than once");
        }
        return list[0];
    }

    /// <summary>The value of a required option.</summary>
    /// <param name="name">The option.</param>
    /// <returns>The value.</returns>
    /// <exception cref="UsageException">The option is missing or repeated.</exception>
    public string Require(string name) => Get(name) ?? throw new UsageException($"option {name} is required");

    /// <summary>An optional integer option within bounds.</summary>
    /// <param name="name">The option.</param>
    /// <param name="minimum">The smallest allowed value.</param>
    /// <param name="maximum">The largest allowed value.</param>
    /// <returns>The value, or <see langword="null"/> when absent.</returns>
    /// <exception cref="UsageException">The value is not an integer in range.</exception>
    public int? GetInt32(string name, int minimum, int maximum)
    {
        string? text = Get(name);
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < minimum || value > maximum)
        {
            throw new UsageException($"option {name} must be an integer from {minimum} to {maximum}");
        }
        return value;
    }

    private static string Shorten(string word) => word.Length <= 40 ? word : word[..40] + "...";
}
