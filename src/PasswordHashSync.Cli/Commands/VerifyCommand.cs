using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Digest;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync verify</c>: does a password (or NT hash) match a digest wire string.</summary>
internal sealed class VerifyCommand : Command
{
    private const string DigestOption = "--digest";
    private const string NtHashOption = "--nt-hash";

    /// <inheritdoc />
    public override string Name => "verify";

    /// <inheritdoc />
    public override string Summary => "check a password against a digest wire string (exit 0 match, 1 no match)";

    /// <inheritdoc />
    public override string Help =>
        "Usage: pwsync verify --digest WIRE [--nt-hash HEX | --password-stdin | --password VALUE]\n\n" +
        "Prints success, successRehashNeeded (matches, but with fewer than 1000 iterations) or failed.\n" +
        "Exit code: 0 when the password matches, 1 when it does not, 3 when the digest is malformed.\n\n" +
        "Options:\n" +
        "  --digest WIRE        the v1;PPH1_MD4,...; string (quote it: it contains ';')\n" +
        "  --nt-hash HEX        check an NT hash (32 hex digits) instead of a password\n" +
        PasswordSource.HelpText + "\n\n" +
        "Example:\n  printf %s 'Pa$$w0rd' | pwsync verify --password-stdin \\\n" +
        "    --digest 'v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;'\n" +
        "  success\n";

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ValueOptions => [PasswordSource.PasswordOption, DigestOption, NtHashOption];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> FlagOptions => [PasswordSource.StdinFlag];

    /// <inheritdoc />
    protected override int Execute(ParsedArguments arguments, CliContext context)
    {
        string digest = arguments.Require(DigestOption);
        if (!SaltedDigest.TryParse(digest, out _, out string? error))
        {
            throw new DataException($"{DigestOption} is not a valid digest: {error}");
        }
        byte[] ntHash = NtHashInput.Read(arguments, context, NtHashOption);
        DigestVerificationResult result;
        try
        {
            result = SaltedDigestVerifier.Default.VerifyNtHash(ntHash, digest);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(ntHash);
        }
        if (result.Failure == DigestVerificationFailure.IterationCountAboveLimit)
        {
            context.Error.WriteLine($"pwsync verify: {result.Message}");
        }
        context.Out.WriteLine(StatusName(result.Status));
        return result.Succeeded ? ExitCodes.Ok : ExitCodes.NoMatch;
    }

    /// <summary>The camelCase name of a status, as printed and as used in the batch contract.</summary>
    /// <param name="status">The status.</param>
    /// <returns>success, successRehashNeeded or failed.</returns>
    public static string StatusName(DigestVerificationStatus status) => status switch
    {
        DigestVerificationStatus.Success => "success",
        DigestVerificationStatus.SuccessRehashNeeded => "successRehashNeeded",
        _ => "failed",
    };
}
