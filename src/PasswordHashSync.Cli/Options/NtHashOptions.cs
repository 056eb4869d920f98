using System.CommandLine;
using PasswordHashSync.Cli.Input;

namespace PasswordHashSync.Cli.Options;

/// <summary>The options of commands that take an NT hash or a password: <c>--nt-hash</c>, <c>--nt-hash-stdin</c> and <see cref="PasswordOptions"/>.</summary>
internal sealed class NtHashOptions
{
    /// <summary>The option that takes the NT hash as an argument (a password equivalent: warns).</summary>
    public const string ValueName = "--nt-hash";

    /// <summary>The flag that reads the NT hash from standard input.</summary>
    public const string StdinName = "--nt-hash-stdin";

    private readonly Option<string> _value = new(ValueName)
    {
        Description = "Start from an NT hash (32 hex digits) instead of a password (discouraged: a password equivalent, visible to other users; warns).",
        HelpName = "HEX",
    };

    private readonly Option<bool> _stdin = new(StdinName)
    {
        Description = "Read the NT hash (32 hex digits, one trailing newline removed) from standard input instead of a password.",
    };

    private readonly PasswordOptions _password = new();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Add(_value);
        command.Add(_stdin);
        _password.AddTo(command);
    }

    /// <summary>Reads the parsed values.</summary>
    /// <param name="result">The parse result.</param>
    /// <returns>Where the NT hash comes from.</returns>
    public NtHashSource Bind(ParseResult result) => new(result.GetValue(_value), result.GetValue(_stdin), _password.Bind(result));
}
