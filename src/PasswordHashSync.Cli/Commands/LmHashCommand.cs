using System.CommandLine;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Cli.Options;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync lmhash</c>: the legacy LM hash, for passwords that have one.</summary>
internal sealed class LmHashCommand : CliCommand
{
    private readonly PasswordOptions _password = new();
    private readonly Option<int?> _codePage = IntegerOption.Create("--oem-code-page", "The domain controller's OEM code page (default 437).", 1, 65535);

    /// <inheritdoc />
    public override string Name => "lmhash";

    /// <inheritdoc />
    public override string Description =>
        "Legacy LM hash (LMOWFv1) of a password, as 32 lowercase hex digits; only when asked for (exit 3 if the password has none).";

    /// <inheritdoc />
    public override bool TakesPassword => true;

    /// <inheritdoc />
    public override string HelpNotes =>
        "LM is weak and off by default in AD; this command exists for legacy interop only. A password longer than\n" +
        "14 OEM bytes, or with a character the code page cannot represent, has no LM hash: pwsync says so and exits with 3.\n\n" +
        "Example:\n  printf %s 'Password' | pwsync lmhash --password-stdin\n  e52cac67419a9a224a3b108f3fa6cb6d\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command)
    {
        _password.AddTo(command);
        command.Add(_codePage);
    }

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context) =>
        LmHashExecutor.Run(_password.Bind(result), result.GetValue(_codePage) ?? LmHash.DefaultOemCodePage, context);
}
