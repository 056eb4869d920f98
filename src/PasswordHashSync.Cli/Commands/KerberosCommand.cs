using System.CommandLine;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Cli.Options;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync kerberos</c>: Kerberos long-term keys of a password.</summary>
internal sealed class KerberosCommand : CliCommand
{
    /// <summary>The largest string-to-key iteration count accepted: the library's (MIT krb5's) limit, 2^24 - 1.</summary>
    public const int MaxIterations = KerberosKeyDerivation.MaxIterationCount;

    private readonly PasswordOptions _password = new();
    private readonly SaltOptionSet _salt = new();
    private readonly Option<string> _etype = EncryptionTypeOption.Create("Comma-separated MIT names, aliases or numbers, or all (default: all).");
    private readonly Option<int?> _iterations = IntegerOption.Create(
        "--iterations", $"AES string-to-key iterations (default 4096 for SHA-1 types, 32768 for SHA-2 types; at most {MaxIterations}).", 1, MaxIterations);

    /// <inheritdoc />
    public override string Name => "kerberos";

    /// <inheritdoc />
    public override string Description =>
        "Kerberos keys of a password for one, several or all encryption types: one line per type with the MIT name, IANA number, iteration count and the key in lowercase hex.";

    /// <inheritdoc />
    public override bool TakesPassword => true;

    /// <inheritdoc />
    public override string HelpNotes =>
        "The salt is given directly (--salt, --salt-hex) or built with Active Directory's rule (--realm, --account,\n" +
        "--account-type; MS-KILE 3.1.1.2). RC4-HMAC ignores the salt (its key is the NT hash).\n\n" +
        "Example:\n  printf %s 'Pa$$w0rd' | pwsync kerberos --etype aes256-cts-hmac-sha1-96 --realm ADATUM.COM --account April --password-stdin\n" +
        "  aes256-cts-hmac-sha1-96     18  4096  3a3b6a89bb82d112db5ef68f6db5d1afc2b806df61dcd85e3eacf3b85ee382d8\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command)
    {
        command.Add(_etype);
        _salt.AddTo(command);
        command.Add(_iterations);
        _password.AddTo(command);
    }

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context) => KerberosExecutor.Run(
        result.GetValue(_etype) ?? "all", _salt.Bind(result), result.GetValue(_iterations), _password.Bind(result), context);
}
