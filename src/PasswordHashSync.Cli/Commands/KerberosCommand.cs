using System.Globalization;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync kerberos</c>: Kerberos long-term keys of a password.</summary>
internal sealed class KerberosCommand : Command
{
    /// <summary>The largest string-to-key iteration count accepted: the library's (MIT krb5's) limit, 2^24 - 1.</summary>
    public const int MaxIterations = KerberosKeyDerivation.MaxIterationCount;

    private const string EtypeOption = "--etype";
    private const string IterationsOption = "--iterations";

    /// <inheritdoc />
    public override string Name => "kerberos";

    /// <inheritdoc />
    public override string Summary => "Kerberos keys of a password for one, several or all encryption types";

    /// <inheritdoc />
    public override string Help =>
        "Usage: pwsync kerberos [--etype LIST|all] (--salt TEXT | --salt-hex HEX | --realm R --account NAME [--account-type user|computer|trust])\n" +
        "                       [--iterations N] [--password-stdin | --password VALUE]\n\n" +
        "Prints one line per encryption type: MIT name, IANA number, iteration count, and the key in lowercase hex.\n" +
        "The salt is given directly, or built with Active Directory's rule (MS-KILE 3.1.1.2):\n" +
        "user: REALM + account; computer: REALM + \"host\" + lower(name without $) + \".\" + lower(realm);\n" +
        "trust: REALM + \"krbtgt\" + flat name. RC4-HMAC ignores the salt (its key is the NT hash).\n\n" +
        "Options:\n" +
        "  --etype LIST         comma-separated MIT names or numbers, or all (default: all)\n" +
        "  --salt TEXT          the salt as text (UTF-8)\n" +
        "  --salt-hex HEX       the salt as bytes\n" +
        "  --realm R            the realm, for AD's salt rule\n" +
        "  --account NAME       the account name (sAMAccountName), for AD's salt rule\n" +
        "  --account-type T     user (default), computer or trust\n" +
        $"  --iterations N       AES string-to-key iterations (default 4096 for SHA-1 types, 32768 for SHA-2 types; at most {MaxIterations})\n" +
        PasswordSource.HelpText + "\n\n" +
        "Example:\n  printf %s 'Pa$$w0rd' | pwsync kerberos --etype aes256-cts-hmac-sha1-96 --realm ADATUM.COM --account April --password-stdin\n" +
        "  aes256-cts-hmac-sha1-96     18  4096  3a3b6a89bb82d112db5ef68f6db5d1afc2b806df61dcd85e3eacf3b85ee382d8\n";

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ValueOptions =>
        [PasswordSource.PasswordOption, EtypeOption, IterationsOption, .. SaltOptions.All];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> FlagOptions => [PasswordSource.StdinFlag];

    /// <inheritdoc />
    protected override int Execute(ParsedArguments arguments, CliContext context)
    {
        KerberosEncryptionType[] types = SaltOptions.ParseEncryptionTypes(arguments.Get(EtypeOption) ?? "all", EtypeOption);
        int? iterations = arguments.GetInt32(IterationsOption, 1, MaxIterations);
        byte[]? salt = SaltOptions.Resolve(arguments, defaultRealm: null);
        bool needsSalt = Array.Exists(types, t => t != KerberosEncryptionType.Rc4Hmac);
        if (salt is null && needsSalt)
        {
            throw new UsageException($"a salt is needed: give {SaltOptions.Salt}, {SaltOptions.SaltHex}, or {SaltOptions.Realm} with {SaltOptions.Account}");
        }
        string password = PasswordSource.Read(arguments, context);
        IReadOnlyList<KerberosKey> keys = KerberosKeyDerivation.DeriveKeys(password, salt ?? [], types, iterations);
        try
        {
            foreach (KerberosKey key in keys)
            {
                context.Out.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{KerberosEncryptionTypes.GetName(key.EncryptionType),-27} {(int)key.EncryptionType,2}  {key.IterationCount,5}  {Hex.Format(key.Key.Span)}"));
            }
        }
        finally
        {
            foreach (KerberosKey key in keys)
            {
                key.Dispose();
            }
        }
        return ExitCodes.Ok;
    }
}
