using System.Globalization;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Cli.Options;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Cli.Execution;

/// <summary>Prints the Kerberos keys of a password.</summary>
internal static class KerberosExecutor
{
    /// <summary>Derives and prints the keys.</summary>
    /// <param name="etypes">The encryption type list, or <c>all</c>.</param>
    /// <param name="saltSpec">The salt options.</param>
    /// <param name="iterations">The AES iteration count, or <see langword="null"/> for each type's default.</param>
    /// <param name="password">Where the password comes from.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="UsageException">An unknown type, or no salt for a type that needs one.</exception>
    /// <exception cref="DataException">Malformed salt, or a refused password.</exception>
    public static int Run(string etypes, SaltSpec saltSpec, int? iterations, PasswordInput password, CliContext context)
    {
        KerberosEncryptionType[] types = SaltOptions.ParseEncryptionTypes(etypes, EncryptionTypeOption.Name);
        byte[]? salt = SaltOptions.Resolve(saltSpec, defaultRealm: null);
        bool needsSalt = Array.Exists(types, t => t != KerberosEncryptionType.Rc4Hmac);
        if (salt is null && needsSalt)
        {
            throw new UsageException($"a salt is needed: give {SaltOptions.Salt}, {SaltOptions.SaltHex}, or {SaltOptions.Realm} with {SaltOptions.Account}");
        }
        string text = PasswordSource.Read(password, context);
        IReadOnlyList<KerberosKey> keys = KerberosKeyDerivation.DeriveKeys(text, salt ?? [], types, iterations);
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
