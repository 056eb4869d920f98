using System.Text;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Cli.Options;
using PasswordHashSync.Cli.Output;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Cli.Execution;

/// <summary>What <c>pwsync keytab</c> writes.</summary>
/// <param name="Principal">name[/instance]@REALM.</param>
/// <param name="Output">The keytab file.</param>
/// <param name="EncryptionTypes">The encryption type list.</param>
/// <param name="KeyVersionNumber">The kvno.</param>
/// <param name="Iterations">The AES iteration count, or <see langword="null"/> for each type's default.</param>
/// <param name="Salt">The salt options.</param>
internal readonly record struct KeytabRequest(string Principal, string Output, string EncryptionTypes, int KeyVersionNumber, int? Iterations, SaltSpec Salt);

/// <summary>Derives a principal's keys and writes them as a keytab through <see cref="SecretFileWriter"/>.</summary>
internal static class KeytabExecutor
{
    /// <summary>Writes the keytab.</summary>
    /// <param name="request">What to write.</param>
    /// <param name="password">Where the password comes from.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="UsageException">The principal or the salt options are wrong.</exception>
    /// <exception cref="DataException">The file cannot be written, or the password is refused.</exception>
    public static int Run(KeytabRequest request, PasswordInput password, CliContext context)
    {
        KerberosEncryptionType[] types = SaltOptions.ParseEncryptionTypes(request.EncryptionTypes, EncryptionTypeOption.Name);
        string realm;
        string[] components;
        try
        {
            (realm, components) = KeytabEntry.ParsePrincipal(request.Principal);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--principal: {e.Message}");
        }
        // MIT's normal salt: the realm followed by every name component, no separators.
        byte[] salt = SaltOptions.Resolve(request.Salt, realm) ?? Encoding.UTF8.GetBytes(realm + string.Concat(components));
        string text = PasswordSource.Read(password, context);
        IReadOnlyList<KerberosKey> keys = KerberosKeyDerivation.DeriveKeys(text, salt, types, request.Iterations);
        try
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            var entries = keys.Select(key => new KeytabEntry(realm, components, key, request.KeyVersionNumber, now)).ToList();
            SecretFileWriter.Write(request.Output, "--output", stream => KeytabWriter.Write(stream, entries));
        }
        finally
        {
            foreach (KerberosKey key in keys)
            {
                key.Dispose();
            }
        }
        context.Error.WriteLine($"pwsync: wrote {keys.Count} key(s) for {request.Principal} to {request.Output}");
        return ExitCodes.Ok;
    }
}
