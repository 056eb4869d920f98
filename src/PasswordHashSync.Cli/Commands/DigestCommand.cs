using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Digest;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync digest</c>: the salted digest (Entra Connect's wire string) of a password or NT hash.</summary>
internal sealed class DigestCommand : Command
{
    /// <summary>The largest iteration count accepted when computing a digest.</summary>
    public const int MaxIterations = SaltedDigestVerifier.DefaultMaxIterationCount;

    private const string SaltHexOption = "--salt-hex";
    private const string IterationsOption = "--iterations";
    private const string NtHashOption = "--nt-hash";

    /// <inheritdoc />
    public override string Name => "digest";

    /// <inheritdoc />
    public override string Summary => "salted digest wire string (v1;PPH1_MD4,...) of a password or NT hash";

    /// <inheritdoc />
    public override string Help =>
        "Usage: pwsync digest [--salt-hex HEX] [--iterations N] [--nt-hash HEX | --password-stdin | --password VALUE]\n\n" +
        "Prints v1;PPH1_MD4,<salt hex>,<iterations>,<hash hex>; : PBKDF2-HMAC-SHA256 over UTF-16LE of the\n" +
        "uppercase hex NT hash. Without --salt-hex a fresh random 10-byte salt is used.\n\n" +
        "Options:\n" +
        "  --salt-hex HEX       the salt, 1 to 64 bytes (default: 10 random bytes)\n" +
        $"  --iterations N       PBKDF2 iterations (default 1000, at most {MaxIterations})\n" +
        "  --nt-hash HEX        start from an NT hash (32 hex digits) instead of a password\n" +
        PasswordSource.HelpText + "\n\n" +
        "Example:\n  printf %s 'Pa$$w0rd' | pwsync digest --salt-hex 181a3024085fcee2f70e --password-stdin\n" +
        "  v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;\n";

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ValueOptions => [PasswordSource.PasswordOption, SaltHexOption, IterationsOption, NtHashOption];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> FlagOptions => [PasswordSource.StdinFlag];

    /// <inheritdoc />
    protected override int Execute(ParsedArguments arguments, CliContext context)
    {
        int iterations = arguments.GetInt32(IterationsOption, 1, MaxIterations) ?? SaltedDigest.DefaultIterationCount;
        string? saltHex = arguments.Get(SaltHexOption);
        byte[] salt = saltHex is null
            ? System.Security.Cryptography.RandomNumberGenerator.GetBytes(SaltedDigest.SaltSize)
            : Hex.Parse(saltHex, SaltHexOption, 1, SaltedDigest.MaxSaltSize);
        byte[] ntHash = NtHashInput.Read(arguments, context, NtHashOption);
        try
        {
            context.Out.WriteLine(SaltedDigest.FromNtHash(ntHash, salt, iterations).ToWireString());
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(ntHash);
        }
        return ExitCodes.Ok;
    }
}
