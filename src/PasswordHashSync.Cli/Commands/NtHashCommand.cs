using System.CommandLine;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Cli.Options;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync nthash</c>: the NT hash (MD4 of UTF-16LE) of a password.</summary>
internal sealed class NtHashCommand : CliCommand
{
    private readonly PasswordOptions _password = new();

    /// <inheritdoc />
    public override string Name => "nthash";

    /// <inheritdoc />
    public override string Description =>
        "NT hash of a password (what AD stores in unicodePwd; the RC4-HMAC key): MD4 over the UTF-16LE password, as 32 lowercase hex digits.";

    /// <inheritdoc />
    public override bool TakesPassword => true;

    /// <inheritdoc />
    public override string HelpNotes =>
        "Example:\n  printf %s 'Password' | pwsync nthash --password-stdin\n  a4f49c406510bdcab6824ee7c30fd852\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command) => _password.AddTo(command);

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context) => NtHashExecutor.Run(_password.Bind(result), context);
}
