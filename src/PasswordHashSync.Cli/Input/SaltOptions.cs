using System.Text;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Cli.Input;

/// <summary>The Kerberos salt options shared by <c>kerberos</c> and <c>keytab</c>.</summary>
internal static class SaltOptions
{
    /// <summary>The salt as text (UTF-8).</summary>
    public const string Salt = "--salt";

    /// <summary>The salt as hex bytes.</summary>
    public const string SaltHex = "--salt-hex";

    /// <summary>The realm for AD's salt rule.</summary>
    public const string Realm = "--realm";

    /// <summary>The account (sAMAccountName) for AD's salt rule.</summary>
    public const string Account = "--account";

    /// <summary>user, computer or trust.</summary>
    public const string AccountType = "--account-type";

    /// <summary>The longest salt accepted: 1024 bytes.</summary>
    public const int MaxSaltBytes = 1024;

    /// <summary>Resolves the salt from --salt, --salt-hex or --realm + --account [+ --account-type].</summary>
    /// <param name="spec">The options as given.</param>
    /// <param name="defaultRealm">The realm to use with --account when --realm is absent, or <see langword="null"/>.</param>
    /// <returns>The salt bytes, or <see langword="null"/> when no salt option was given.</returns>
    /// <exception cref="UsageException">The options contradict each other or are incomplete.</exception>
    /// <exception cref="DataException">The hex is malformed.</exception>
    public static byte[]? Resolve(SaltSpec spec, string? defaultRealm)
    {
        string? salt = spec.Salt;
        string? saltHex = spec.SaltHex;
        string? realm = spec.Realm ?? defaultRealm;
        string? account = spec.Account;
        string? accountType = spec.AccountType;
        int given = (salt is null ? 0 : 1) + (saltHex is null ? 0 : 1) + (account is null ? 0 : 1);
        if (given > 1)
        {
            throw new UsageException($"give one of {Salt}, {SaltHex}, or {Account} (with {Realm}), not several");
        }
        if (salt is not null)
        {
            if (Encoding.UTF8.GetByteCount(salt) > MaxSaltBytes)
            {
                throw new DataException($"{Salt} must be at most {MaxSaltBytes} bytes");
            }
            return Encoding.UTF8.GetBytes(salt);
        }
        if (saltHex is not null)
        {
            return Hex.Parse(saltHex, SaltHex, 0, MaxSaltBytes);
        }
        if (account is null)
        {
            if (accountType is not null || spec.Realm is not null && defaultRealm is null)
            {
                throw new UsageException($"{Realm} and {AccountType} need {Account}");
            }
            return null;
        }
        if (string.IsNullOrEmpty(realm))
        {
            throw new UsageException($"{Account} needs {Realm}");
        }
        KerberosAccountType type = ParseAccountType(accountType ?? "user")
            ?? throw new UsageException($"{AccountType} must be user, computer or trust");
        try
        {
            return KerberosSalt.For(type, realm, account);
        }
        catch (ArgumentException)
        {
            throw new DataException($"{Account} must name an account (not empty, not just '$')");
        }
    }

    /// <summary>Parses user, computer or trust (case-insensitive).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The type, or <see langword="null"/>.</returns>
    public static KerberosAccountType? ParseAccountType(string text) => text.ToUpperInvariant() switch
    {
        "USER" => KerberosAccountType.User,
        "COMPUTER" => KerberosAccountType.Computer,
        "TRUST" => KerberosAccountType.Trust,
        _ => null,
    };

    /// <summary>Parses a comma-separated list of MIT names or numbers, or <c>all</c>.</summary>
    /// <param name="text">The list.</param>
    /// <param name="option">The option name, for messages.</param>
    /// <returns>The types, without duplicates.</returns>
    /// <exception cref="UsageException">A name is unknown.</exception>
    public static KerberosEncryptionType[] ParseEncryptionTypes(string text, string option)
    {
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return [.. KerberosEncryptionTypes.All];
        }
        var types = new List<KerberosEncryptionType>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!KerberosEncryptionTypes.TryParse(part, out KerberosEncryptionType type))
            {
                throw new UsageException($"{option}: '{part}' is not a supported encryption type (use an MIT name such as aes256-cts-hmac-sha1-96, a number 1, 3, 17, 18, 19, 20, 23, or all)");
            }
            if (!types.Contains(type))
            {
                types.Add(type);
            }
        }
        if (types.Count == 0)
        {
            throw new UsageException($"{option} needs at least one encryption type");
        }
        return [.. types];
    }
}
