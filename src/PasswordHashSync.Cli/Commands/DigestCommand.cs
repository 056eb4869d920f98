using System.CommandLine;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Cli.Options;
using PasswordHashSync.Digest;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync digest</c>: the salted digest (Entra Connect's wire string) of a password or NT hash.</summary>
internal sealed class DigestCommand : CliCommand
{
    /// <summary>The largest iteration count accepted when computing a digest.</summary>
    public const int MaxIterations = SaltedDigestVerifier.DefaultMaxIterationCount;

    private readonly NtHashOptions _ntHash = new();
    private readonly Option<string> _saltHex = new("--salt-hex") { Description = "The salt, 1 to 64 bytes in hex (default: 10 random bytes).", HelpName = "HEX" };
    private readonly Option<int?> _iterations = IntegerOption.Create("--iterations", $"PBKDF2 iterations (default 1000, at most {MaxIterations}).", 1, MaxIterations);

    /// <inheritdoc />
    public override string Name => "digest";

    /// <inheritdoc />
    public override string Description =>
        "Salted digest wire string v1;PPH1_MD4,<salt hex>,<iterations>,<hash hex>; of a password or NT hash: PBKDF2-HMAC-SHA256 over UTF-16LE of the uppercase hex NT hash.";

    /// <inheritdoc />
    public override bool TakesPassword => true;

    /// <inheritdoc />
    public override string HelpNotes =>
        "Example:\n  printf %s 'Pa$$w0rd' | pwsync digest --salt-hex 181a3024085fcee2f70e --password-stdin\n" +
        "  v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command)
    {
        command.Add(_saltHex);
        command.Add(_iterations);
        _ntHash.AddTo(command);
    }

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context) => DigestExecutor.Run(
        result.GetValue(_saltHex), result.GetValue(_iterations) ?? SaltedDigest.DefaultIterationCount, _ntHash.Bind(result), context);
}
