using System.Text;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync keytab</c>: writes an MIT keytab (format 0x0502) with a principal's keys derived from its password.</summary>
internal sealed class KeytabCommand : Command
{
    /// <summary>The encryption types written by default: the ones a current MIT KDC or AD DC uses.</summary>
    public const string DefaultEncryptionTypes =
        "aes256-cts-hmac-sha1-96,aes128-cts-hmac-sha1-96,aes256-cts-hmac-sha384-192,aes128-cts-hmac-sha256-128,arcfour-hmac";

    private const string PrincipalOption = "--principal";
    private const string OutputOption = "--output";
    private const string EtypeOption = "--etype";
    private const string KvnoOption = "--kvno";
    private const string IterationsOption = "--iterations";

    /// <inheritdoc />
    public override string Name => "keytab";

    /// <inheritdoc />
    public override string Summary => "write an MIT keytab (0x0502) with a principal's keys derived from its password";

    /// <inheritdoc />
    public override string Help =>
        "Usage: pwsync keytab --principal NAME@REALM --output FILE [--etype LIST|all] [--kvno N]\n" +
        "                     [--salt TEXT | --salt-hex HEX | --account NAME [--account-type user|computer|trust] [--realm R]]\n" +
        "                     [--iterations N] [--password-stdin | --password VALUE]\n\n" +
        "Derives the principal's keys from its password and writes them to FILE (created or replaced, mode 0600),\n" +
        "one entry per encryption type. The default salt is MIT's normal salt: REALM followed by the name components\n" +
        "(alice@EXAMPLE.COM -> EXAMPLE.COMalice, the same as AD's rule for users). For an AD computer or trust\n" +
        "account, give --account with --account-type. The file holds keys in the clear: protect it.\n\n" +
        "Options:\n" +
        "  --principal P        the principal, name[/instance]@REALM\n" +
        "  --output FILE        the keytab file to write\n" +
        $"  --etype LIST         comma-separated MIT names or numbers, or all (default: {DefaultEncryptionTypes})\n" +
        "  --kvno N             key version number (default 1)\n" +
        "  --salt, --salt-hex, --account, --account-type, --realm   as for pwsync kerberos\n" +
        "  --iterations N       AES string-to-key iterations (default per type)\n" +
        PasswordSource.HelpText + "\n\n" +
        "Example:\n  printf %s \"$PASSWORD\" | pwsync keytab --principal alice@EXAMPLE.COM --output alice.keytab --password-stdin\n" +
        "  klist -k -t -e alice.keytab\n";

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ValueOptions =>
        [PasswordSource.PasswordOption, PrincipalOption, OutputOption, EtypeOption, KvnoOption, IterationsOption, .. SaltOptions.All];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> FlagOptions => [PasswordSource.StdinFlag];

    /// <inheritdoc />
    protected override int Execute(ParsedArguments arguments, CliContext context)
    {
        string principal = arguments.Require(PrincipalOption);
        string output = arguments.Require(OutputOption);
        KerberosEncryptionType[] types = SaltOptions.ParseEncryptionTypes(arguments.Get(EtypeOption) ?? DefaultEncryptionTypes, EtypeOption);
        int kvno = arguments.GetInt32(KvnoOption, 0, int.MaxValue) ?? 1;
        int? iterations = arguments.GetInt32(IterationsOption, 1, KerberosCommand.MaxIterations);
        string realm;
        string[] components;
        try
        {
            (realm, components) = KeytabEntry.ParsePrincipal(principal);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{PrincipalOption}: {e.Message}");
        }
        // MIT's normal salt: the realm followed by every name component, no separators.
        byte[] salt = SaltOptions.Resolve(arguments, realm) ?? Encoding.UTF8.GetBytes(realm + string.Concat(components));
        string password = PasswordSource.Read(arguments, context);
        IReadOnlyList<KerberosKey> keys = KerberosKeyDerivation.DeriveKeys(password, salt, types, iterations);
        try
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            var entries = keys.Select(key => new KeytabEntry(realm, components, key, kvno, now)).ToList();
            KeytabWriter.WriteFile(output, entries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot write {output}: {e.Message}");
        }
        finally
        {
            foreach (KerberosKey key in keys)
            {
                key.Dispose();
            }
        }
        context.Error.WriteLine($"pwsync: wrote {keys.Count} key(s) for {principal} to {output}");
        return ExitCodes.Ok;
    }
}
