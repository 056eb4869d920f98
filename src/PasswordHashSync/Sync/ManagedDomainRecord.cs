using System.Security.Cryptography;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Sync;

/// <summary>
/// The legacy credentials sent to the managed domain (Entra Domain Services) for one user: an NT hash and the Kerberos
/// keys, with the account flags they map to. The exporter encrypts them to the tenant's managed-domain key.
/// </summary>
/// <remarks><see cref="Dispose"/> zeroes the NT hash and the keys; <see cref="ToString"/> shows no secret.</remarks>
public sealed class ManagedDomainRecord : IDisposable
{
    private readonly byte[] _ntHash;

    /// <summary>Creates a record; the NT hash is copied and the keys are owned by the record.</summary>
    /// <param name="sourceAnchor">The user's source anchor.</param>
    /// <param name="ntHash">The 16-byte NT hash (the user's, or a random one when NTLM sync is disabled).</param>
    /// <param name="ntHashRandomized">Whether <paramref name="ntHash"/> is a random stand-in.</param>
    /// <param name="kerberosKeys">The Kerberos keys from <c>supplementalCredentials</c>; the record disposes them.</param>
    /// <param name="dontExpirePassword">Whether DONT_EXPIRE_PASSWORD is set (the cloud policy is DisablePasswordExpiration).</param>
    /// <param name="pwdLastSetZero">Whether pwdLastSet is set to 0 (the cloud forces a change at next sign-in).</param>
    /// <exception cref="ArgumentException"><paramref name="ntHash"/> is not 16 bytes, or <paramref name="kerberosKeys"/> is empty.</exception>
    /// <exception cref="ArgumentNullException">A reference argument is <see langword="null"/>.</exception>
    public ManagedDomainRecord(string sourceAnchor, ReadOnlySpan<byte> ntHash, bool ntHashRandomized, IReadOnlyList<KerberosKey> kerberosKeys, bool dontExpirePassword, bool pwdLastSetZero)
    {
        ArgumentNullException.ThrowIfNull(sourceAnchor);
        ArgumentNullException.ThrowIfNull(kerberosKeys);
        if (ntHash.Length != PasswordHashSync.NtHash.SizeInBytes)
        {
            throw new ArgumentException($"An NT hash is {PasswordHashSync.NtHash.SizeInBytes} bytes, not {ntHash.Length}.", nameof(ntHash));
        }

        if (kerberosKeys.Count == 0)
        {
            throw new ArgumentException("The managed domain needs at least one Kerberos key.", nameof(kerberosKeys));
        }

        SourceAnchor = sourceAnchor;
        _ntHash = SecretBytes.Copy(ntHash);
        NtHashRandomized = ntHashRandomized;
        KerberosKeys = kerberosKeys;
        DontExpirePassword = dontExpirePassword;
        PwdLastSetZero = pwdLastSetZero;
    }

    /// <summary>The user's source anchor.</summary>
    public string SourceAnchor { get; }

    /// <summary>The NT hash to store (RC4-HMAC key and NTLM secret).</summary>
    public ReadOnlyMemory<byte> NtHash => _ntHash;

    /// <summary>Whether <see cref="NtHash"/> is a random high-entropy value because <c>SyncNtlmPasswords</c> is disabled.</summary>
    public bool NtHashRandomized { get; }

    /// <summary>The Kerberos keys (current credentials) extracted from <c>supplementalCredentials</c>.</summary>
    public IReadOnlyList<KerberosKey> KerberosKeys { get; }

    /// <summary>Whether userAccountControl gets DONT_EXPIRE_PASSWORD (the cloud user has DisablePasswordExpiration).</summary>
    public bool DontExpirePassword { get; }

    /// <summary>Whether pwdLastSet is set to 0 (the cloud user must change the password at next sign-in).</summary>
    public bool PwdLastSetZero { get; }

    /// <summary>Zeroes the NT hash and every Kerberos key.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_ntHash);
        foreach (KerberosKey key in KerberosKeys)
        {
            key.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"ManagedDomainRecord {{ {SourceAnchor}, NT hash {(NtHashRandomized ? "random" : "user's")}, {KerberosKeys.Count} Kerberos keys, DONT_EXPIRE_PASSWORD {DontExpirePassword}, pwdLastSet=0 {PwdLastSetZero} }}";
}
