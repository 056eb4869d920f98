using System.CommandLine;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Cli.Options;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync replicate</c>: replicates accounts and their secrets from a live domain controller (MS-DRSR) as JSON lines.</summary>
internal sealed class ReplicateCommand : CliCommand
{
    private readonly DirectorySourceOptionSet _source = new();
    private readonly Option<string> _account = new("--account") { Description = "Only this sAMAccountName (for example alice or WS01$).", HelpName = "NAME" };
    private readonly Option<string> _output = new("--output")
    {
        Description = "The JSON-lines file (atomically, mode 0600; a symbolic link is refused); '-' or absent: standard output.",
        HelpName = "FILE",
    };

    /// <inheritdoc />
    public override string Name => "replicate";

    /// <inheritdoc />
    public override string Description => "Replicate accounts with their NT hashes and Kerberos keys from a domain controller (MS-DRSR).";

    /// <inheritdoc />
    public override bool TakesPassword => true;

    /// <inheritdoc />
    public override string HelpNotes =>
        "Replicates the domain's user and computer accounts (or the one named by --account) from the domain controller\n" +
        "over MS-DRSR (DCE/RPC at packet privacy, signed in with Kerberos or NTLMv2 per --auth), as a DC or Entra Connect\n" +
        "does, and writes one JSON object per account: samAccountName, objectSid, objectGuid, userPrincipalName,\n" +
        "userAccountControl, ntHash, ntHashHistory and kerberosKeys [{etype, key, salt (hex), iterations}]. The output\n" +
        "holds password equivalents.\n" +
        "The password is read from --password-stdin, --password-file, the environment variable PWSYNC_DC_PASSWORD or a\n" +
        "no-echo prompt on a terminal, never from the command line; --keytab FILE signs in with Kerberos keys instead.\n" +
        "--auth negotiate (the default) uses Kerberos and falls back to NTLM only when Kerberos is not possible (no KDC\n" +
        "reachable, the KDC does not know the account or the DC's service principal, no host name for an IP --dc); a wrong\n" +
        "password, a disabled account or clock skew is an error, never a fallback.\n\n" +
        "Exit codes: 0 ok, 2 usage, 3 data (password file, output, unknown --account), 4 DC unreachable, credentials or rights refused.\n\n" +
        "Example:\n  pwsync replicate --dc dc1.contoso.com --domain contoso.com --user CONTOSO\\\\svc-phs --password-file pw.txt --output accounts.jsonl\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command)
    {
        _source.AddTo(command);
        command.Add(_account);
        command.Add(_output);
    }

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context)
    {
        var source = _source.Bind(result) ?? throw new UsageException("option --dc is required");
        string? account = result.GetValue(_account);
        if (account is not null && account.Trim().Length == 0)
        {
            throw new UsageException("option --account needs a name");
        }

        return ReplicateExecutor.Run(source, account?.Trim(), result.GetValue(_output), context);
    }
}
