using System.CommandLine;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Cli.Options;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync verify</c>: does a password (or NT hash) match a digest wire string.</summary>
internal sealed class VerifyCommand : CliCommand
{
    private readonly NtHashOptions _ntHash = new();
    private readonly Option<string> _digest = new("--digest")
    {
        Description = "The v1;PPH1_MD4,...; string (quote it: it contains ';').",
        HelpName = "WIRE",
        Required = true,
    };

    /// <inheritdoc />
    public override string Name => "verify";

    /// <inheritdoc />
    public override string Description =>
        "Check a password against a digest wire string: prints success, successRehashNeeded (matches, but with fewer than 1000 iterations) or failed.";

    /// <inheritdoc />
    public override bool TakesPassword => true;

    /// <inheritdoc />
    public override string HelpNotes =>
        "Exit code: 0 when the password matches, 1 when it does not, 3 when the digest is malformed.\n\n" +
        "Example:\n  printf %s 'Pa$$w0rd' | pwsync verify --password-stdin \\\n" +
        "    --digest 'v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;'\n" +
        "  success\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command)
    {
        command.Add(_digest);
        _ntHash.AddTo(command);
    }

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context) =>
        VerifyExecutor.Run(result.GetValue(_digest)!, _ntHash.Bind(result), context);
}
