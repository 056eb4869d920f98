using System.CommandLine;

namespace PasswordHashSync.Cli.Options;

/// <summary>
/// Integer options parsed strictly: ASCII digits only, within bounds. .NET's <c>int.TryParse</c> (which
/// System.CommandLine uses for <c>Option&lt;int&gt;</c>) accepts trailing NULs and, by default, signs and
/// surrounding white space, so <c>1000\0</c> would be a second spelling of 1000 (issue 13, item 3).
/// </summary>
internal static class IntegerOption
{
    /// <summary>Creates an optional integer option within bounds; a bad value is a usage error that names the bounds.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="description">The help text.</param>
    /// <param name="minimum">The smallest value accepted.</param>
    /// <param name="maximum">The largest value accepted.</param>
    /// <returns>The option; its value is <see langword="null"/> when absent.</returns>
    public static Option<int?> Create(string name, string description, int minimum, int maximum) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 1 && TryParse(result.Tokens[0].Value, minimum, maximum, out int value))
            {
                return value;
            }
            result.AddError($"option {name} must be an integer from {minimum} to {maximum}");
            return null;
        },
    };

    /// <summary>Parses 1 to 10 ASCII digits into a value within bounds; nothing else is accepted.</summary>
    /// <param name="text">The text.</param>
    /// <param name="minimum">The smallest value accepted.</param>
    /// <param name="maximum">The largest value accepted.</param>
    /// <param name="value">The value.</param>
    /// <returns>Whether <paramref name="text"/> is such a number.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, int minimum, int maximum, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 10)
        {
            return false;
        }
        long number = 0;
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            number = (number * 10) + (c - '0');
        }
        if (number < minimum || number > maximum)
        {
            return false;
        }
        value = (int)number;
        return true;
    }
}
