using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Sync;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync replicate</c>: replicates accounts and their secrets from a live domain controller (MS-DRSR) as JSON lines.</summary>
internal sealed class ReplicateCommand : Command
{
    private const string AccountOption = "--account";
    private const string OutputOption = "--output";

    /// <inheritdoc />
    public override string Name => "replicate";

    /// <inheritdoc />
    public override string Summary => "replicate accounts with their NT hashes and Kerberos keys from a domain controller (DRS)";

    /// <inheritdoc />
    public override string Help =>
        "Usage: pwsync replicate --dc HOST[:PORT] --domain DNS-DOMAIN --user USER (--password-stdin | --password-file FILE)\n" +
        "                        [--account NAME] [--output FILE]\n\n" +
        "Replicates the domain's user and computer accounts (or the one named by --account) from the domain controller\n" +
        "over MS-DRSR (DCE/RPC, NTLMv2 at packet privacy), as a DC or Entra Connect does, and writes one JSON object per\n" +
        "account: samAccountName, objectSid, objectGuid, userPrincipalName, userAccountControl, ntHash, ntHashHistory and\n" +
        "kerberosKeys [{etype, key, salt (hex), iterations}]. The output holds password equivalents: --output FILE is\n" +
        "created with mode 0600 and replaced atomically; without --output the lines go to standard output.\n\n" +
        "Options:\n" + DirectorySourceOptions.HelpText +
        "  --account NAME       only this sAMAccountName (for example alice or WS01$)\n" +
        "  --output FILE        the JSON-lines file (mode 0600); '-' or absent: standard output\n\n" +
        "Exit codes: 0 ok, 2 usage, 3 data (password file, output, unknown --account), 4 DC unreachable, credentials or rights refused.\n\n" +
        "Example:\n  pwsync replicate --dc dc1.contoso.com --domain contoso.com --user CONTOSO\\\\svc-phs --password-file pw.txt --output accounts.jsonl\n";

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ValueOptions => [.. DirectorySourceOptions.ValueOptions, AccountOption, OutputOption];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> FlagOptions => DirectorySourceOptions.FlagOptions;

    /// <inheritdoc />
    protected override int Execute(ParsedArguments arguments, CliContext context)
    {
        DirectorySourceOptions source = DirectorySourceOptions.FromArguments(arguments)
            ?? throw new UsageException($"option {DirectorySourceOptions.DcOption} is required");
        string? account = arguments.Get(AccountOption);
        if (account is not null && account.Trim().Length == 0)
        {
            throw new UsageException($"option {AccountOption} needs a name");
        }

        return ReplicateExecution.RunAsync(source, account?.Trim(), arguments.Get(OutputOption), context, CancellationToken.None).GetAwaiter().GetResult();
    }
}
