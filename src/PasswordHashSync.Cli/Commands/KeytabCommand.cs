using System.CommandLine;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Cli.Options;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync keytab</c>: writes an MIT keytab (format 0x0502) with a principal's keys derived from its password.</summary>
internal sealed class KeytabCommand : CliCommand
{
    /// <summary>The encryption types written by default: the ones a current MIT KDC or AD DC uses.</summary>
    public const string DefaultEncryptionTypes =
        "aes256-cts-hmac-sha1-96,aes128-cts-hmac-sha1-96,aes256-cts-hmac-sha384-192,aes128-cts-hmac-sha256-128,arcfour-hmac";

    private readonly PasswordOptions _password = new();
    private readonly SaltOptionSet _salt = new();
    private readonly Option<string> _principal = new("--principal") { Description = "The principal, name[/instance]@REALM.", HelpName = "NAME@REALM", Required = true };
    private readonly Option<string> _output = new("--output")
    {
        Description = "The keytab file to write: created or replaced atomically, mode 0600; a symbolic link is refused.",
        HelpName = "FILE",
        Required = true,
    };

    private readonly Option<string> _etype = EncryptionTypeOption.Create($"Comma-separated MIT names or numbers, or all (default: {DefaultEncryptionTypes}).");
    private readonly Option<int?> _kvno = IntegerOption.Create("--kvno", "Key version number (default 1).", 0, int.MaxValue);
    private readonly Option<int?> _iterations = IntegerOption.Create("--iterations", "AES string-to-key iterations (default per type).", 1, KerberosCommand.MaxIterations);

    /// <inheritdoc />
    public override string Name => "keytab";

    /// <inheritdoc />
    public override string Description => "Write an MIT keytab (0x0502) with a principal's keys derived from its password, one entry per encryption type.";

    /// <inheritdoc />
    public override bool TakesPassword => true;

    /// <inheritdoc />
    public override string HelpNotes =>
        "The default salt is MIT's normal salt: REALM followed by the name components (alice@EXAMPLE.COM ->\n" +
        "EXAMPLE.COMalice, the same as AD's rule for users). For an AD computer or trust account, give --account with\n" +
        "--account-type. The file holds keys in the clear: protect it.\n\n" +
        "Example:\n  printf %s \"$PASSWORD\" | pwsync keytab --principal alice@EXAMPLE.COM --output alice.keytab --password-stdin\n" +
        "  klist -k -t -e alice.keytab\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command)
    {
        command.Add(_principal);
        command.Add(_output);
        command.Add(_etype);
        command.Add(_kvno);
        _salt.AddTo(command);
        command.Add(_iterations);
        _password.AddTo(command);
    }

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context) => KeytabExecutor.Run(
        new KeytabRequest(
            result.GetValue(_principal)!,
            result.GetValue(_output)!,
            result.GetValue(_etype) ?? DefaultEncryptionTypes,
            result.GetValue(_kvno) ?? 1,
            result.GetValue(_iterations),
            _salt.Bind(result)),
        _password.Bind(result),
        context);
}
