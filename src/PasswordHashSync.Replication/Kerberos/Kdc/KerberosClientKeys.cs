using PasswordHashSync.Replication.Kerberos.Asn1;

namespace PasswordHashSync.Replication.Kerberos.Kdc;

/// <summary>Where the client's long-term keys come from: a password (derived with the KDC's salt) or a keytab.</summary>
internal abstract class KerberosClientKeys : IDisposable
{
    /// <summary>Whether a key of <paramref name="encryptionType"/> can be produced.</summary>
    public abstract bool CanProvide(int encryptionType);

    /// <summary>
    /// The client key of <paramref name="encryptionType"/>, with the salt and iteration count the KDC announced
    /// (<paramref name="salt"/> <see langword="null"/>: the default salt, realm followed by the name components).
    /// </summary>
    /// <returns>The key (the caller disposes it), or <see langword="null"/> when none is available.</returns>
    public abstract EncryptionKey? GetKey(int encryptionType, byte[]? salt, int? iterationCount, string realm, KerberosPrincipalName client);

    /// <summary>
    /// Called before every AS exchange but the first, under the credential's lock: a keytab is read again here, so a
    /// rotated keytab is used from the next sign-in on. A password has nothing to re-read.
    /// </summary>
    /// <exception cref="KerberosException">The keys cannot be read again (the message says why; no key in it).</exception>
    public virtual void Reload()
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Zeroes the secret.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
