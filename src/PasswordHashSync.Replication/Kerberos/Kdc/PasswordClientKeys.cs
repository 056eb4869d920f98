using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Crypto;

namespace PasswordHashSync.Replication.Kerberos.Kdc;

/// <summary>Client keys derived from a password with the core's string-to-key (RFC 3962, RFC 8009, RFC 4757).</summary>
internal sealed class PasswordClientKeys : KerberosClientKeys
{
    private readonly char[] _password;

    /// <summary>Keeps a copy of <paramref name="password"/> (zeroed on dispose).</summary>
    public PasswordClientKeys(ReadOnlySpan<char> password) => _password = password.ToArray();

    public override bool CanProvide(int encryptionType) => KerberosCiphers.Find(encryptionType, allowRc4: true) is not null;

    public override EncryptionKey? GetKey(int encryptionType, byte[]? salt, int? iterationCount, string realm, KerberosPrincipalName client)
    {
        KerberosCipher? cipher = KerberosCiphers.Find(encryptionType, allowRc4: true);
        if (cipher is null)
        {
            return null;
        }

        byte[] saltBytes = salt ?? Encoding.UTF8.GetBytes(realm + string.Concat(client.Components));
        Span<byte> key = stackalloc byte[KerberosKeyDerivation.MaxKeySize];
        try
        {
            int written = KerberosKeyDerivation.DeriveKey((KerberosEncryptionType)encryptionType, _password, saltBytes, key, iterationCount);
            return new EncryptionKey(encryptionType, key[..written]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    protected override void Dispose(bool disposing)
    {
        Array.Clear(_password);
        base.Dispose(disposing);
    }
}
