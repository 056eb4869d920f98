using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// Builds the <c>supplementalCredentials</c> a Windows domain controller stores when a password is set
/// (MS-SAMR 3.1.1.8.11): AES256, AES128 and DES-CBC-MD5 in <c>Primary:Kerberos-Newer-Keys</c>, DES-CBC-MD5 in
/// <c>Primary:Kerberos</c>, the 29 WDigest hashes, <c>Packages</c>, and optionally <c>Primary:CLEARTEXT</c> and
/// <c>Primary:NTLM-Strong-NTOWF</c>, in the Windows Server 2016 property order.
/// </summary>
public static class SupplementalCredentialsGenerator
{
    private static readonly KerberosEncryptionType[] s_newerKeyTypes =
        [KerberosEncryptionType.Aes256CtsHmacSha196, KerberosEncryptionType.Aes128CtsHmacSha196, KerberosEncryptionType.DesCbcMd5];

    /// <summary>
    /// The salt a DC picks when none is given: for a user with a UPN, UPPER(realm) + the UPN prefix (what Samba stores,
    /// verified against a real Samba DC, and what DSInternals generates); otherwise the MS-KILE default of the account type.
    /// </summary>
    /// <param name="account">The account facts.</param>
    /// <returns>The salt text.</returns>
    internal static string DefaultSalt(SupplementalCredentialsAccount account)
    {
        if (account.AccountType == KerberosAccountType.User && !string.IsNullOrEmpty(account.UserPrincipalName))
        {
            int at = account.UserPrincipalName.LastIndexOf('@');
            string prefix = at > 0 ? account.UserPrincipalName[..at] : account.UserPrincipalName;
            return Encoding.UTF8.GetString(KerberosSalt.ForUser(account.DnsDomainName, prefix));
        }

        return Encoding.UTF8.GetString(KerberosSalt.For(account.AccountType, account.DnsDomainName, account.SamAccountName));
    }

    /// <summary>Generates the blob for a password change.</summary>
    /// <param name="password">The new password.</param>
    /// <param name="account">The account facts.</param>
    /// <param name="previous">
    /// The blob before the change, or <see langword="null"/>: its current keys become the old keys and its old keys the
    /// older keys, as a DC rotates them.
    /// </param>
    /// <returns>The generated blob.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="account"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A required account fact is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The iteration count is not positive.</exception>
    public static SupplementalCredentialsBlob Generate(ReadOnlySpan<char> password, SupplementalCredentialsAccount account, SupplementalCredentialsBlob? previous = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrEmpty(account.SamAccountName, nameof(account));
        ArgumentException.ThrowIfNullOrEmpty(account.DnsDomainName, nameof(account));
        ArgumentNullException.ThrowIfNull(account.NetBiosDomainName, nameof(account));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(account.IterationCount, nameof(account));

        string salt = account.KerberosSalt ?? DefaultSalt(account);
        byte[] saltBytes = Encoding.UTF8.GetBytes(salt);
        IReadOnlyList<KerberosKey> derived = KerberosKeyDerivation.DeriveKeys(password, saltBytes, s_newerKeyTypes, account.IterationCount);
        KerberosStoredKey[] newer;
        KerberosStoredKey des;
        try
        {
            // Windows stores the account's iteration count in every KERB_KEY_DATA_NEW, DES included.
            newer = derived.Select(k => new KerberosStoredKey(k.EncryptionType, k.Key.Span, (uint)account.IterationCount)).ToArray();
            des = new KerberosStoredKey(KerberosEncryptionType.DesCbcMd5, derived[2].Key.Span);
        }
        finally
        {
            foreach (KerberosKey key in derived)
            {
                key.Dispose();
            }
        }

        var newerKeys = new KerberosNewerKeysCredential(
            salt,
            (uint)account.IterationCount,
            newer,
            previous?.KerberosNewerKeys?.Credentials,
            previous?.KerberosNewerKeys?.OldCredentials);
        var kerberos = new KerberosStoredCredential(salt, [des], previous?.Kerberos?.Credentials);
        WDigestCredentials wdigest = WDigestCredentials.Compute(password, account.SamAccountName, account.NetBiosDomainName, account.DnsDomainName, account.UserPrincipalName);

        var properties = new List<UserProperty>();
        var packages = new List<string>();
        if (account.StoreCleartext)
        {
            byte[] cleartext = new byte[password.Length * 2];
            for (int i = 0; i < password.Length; i++)
            {
                cleartext[2 * i] = (byte)password[i];
                cleartext[(2 * i) + 1] = (byte)(password[i] >> 8);
            }

            properties.Add(new UserProperty(SupplementalCredentialsPropertyNames.Cleartext, cleartext));
            CryptographicOperations.ZeroMemory(cleartext);
        }

        if (!account.NtlmStrongNtowf.IsEmpty)
        {
            properties.Add(new UserProperty(SupplementalCredentialsPropertyNames.NtlmStrongNtowf, account.NtlmStrongNtowf.Span));
            packages.Add("NTLM-Strong-NTOWF");
        }

        // Encoded straight into the pinned arrays the properties own: no intermediate copy of the keys.
        byte[] newerValue = SecretBytes.Allocate((int)newerKeys.GetEncodedLength());
        newerKeys.WriteTo(newerValue);
        properties.Add(new UserProperty(SupplementalCredentialsPropertyNames.KerberosNewerKeys, newerValue, 1, false));
        byte[] kerberosValue = SecretBytes.Allocate((int)kerberos.GetEncodedLength());
        kerberos.WriteTo(kerberosValue);
        properties.Add(new UserProperty(SupplementalCredentialsPropertyNames.Kerberos, kerberosValue, 1, false));
        packages.AddRange(["Kerberos-Newer-Keys", "Kerberos", "WDigest"]);
        if (account.StoreCleartext)
        {
            packages.Add("CLEARTEXT");
        }

        properties.Add(new UserProperty(SupplementalCredentialsPropertyNames.Packages, SupplementalCredentialsBlob.EncodePackages(packages), reserved: 2));
        byte[] wdigestValue = SecretBytes.Allocate(wdigest.EncodedLength);
        wdigest.WriteTo(wdigestValue);
        properties.Add(new UserProperty(SupplementalCredentialsPropertyNames.WDigest, wdigestValue, 1, false));

        // The new keys and hashes now live in the properties; the previous password's keys belong to the caller's blob.
        wdigest.Dispose();
        des.Dispose();
        foreach (KerberosStoredKey key in newer)
        {
            key.Dispose();
        }

        return new SupplementalCredentialsBlob(properties, account.Reserved5);
    }
}
