using System.CommandLine;
using PasswordHashSync.Cli.Input;

namespace PasswordHashSync.Cli.Options;

/// <summary>The options of every command that takes a password: <c>--password-stdin</c>, <c>--password</c>, <c>--allow-empty-password</c>.</summary>
internal sealed class PasswordOptions
{
    /// <summary>The flag that reads the password from standard input.</summary>
    public const string StdinName = "--password-stdin";

    /// <summary>The option that takes the password as an argument (visible in the process list: warns).</summary>
    public const string ValueName = "--password";

    /// <summary>The flag that accepts an empty password.</summary>
    public const string AllowEmptyName = "--allow-empty-password";

    private readonly Option<bool> _stdin = new(StdinName)
    {
        Description = "Read the password from standard input (one trailing newline is removed). With no password option, pwsync prompts without echo when standard input is a terminal.",
    };

    private readonly Option<string> _value = new(ValueName)
    {
        Description = "Take the password from the command line (discouraged: visible to other users and in shell history; warns).",
        HelpName = "VALUE",
    };

    private readonly Option<bool> _allowEmpty = new(AllowEmptyName)
    {
        Description = "Accept an empty password (refused by default: an unset variable is not a password).",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Add(_stdin);
        command.Add(_value);
        command.Add(_allowEmpty);
    }

    /// <summary>Reads the parsed values.</summary>
    /// <param name="result">The parse result.</param>
    /// <returns>Where the password comes from.</returns>
    public PasswordInput Bind(ParseResult result) =>
        new(result.GetValue(_stdin), result.GetResult(_value) is null ? null : result.GetValue(_value) ?? string.Empty, result.GetValue(_allowEmpty));
}
