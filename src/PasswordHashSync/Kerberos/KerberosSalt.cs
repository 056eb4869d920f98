using System.Text;

namespace PasswordHashSync.Kerberos;

/// <summary>
/// Builds the default salts Active Directory uses for Kerberos string-to-key (MS-KILE 3.1.1.2).
/// </summary>
/// <remarks>
/// <para>A salt is a byte string; these helpers return its UTF-8 bytes. The authoritative salt of an existing
/// account is the one stored in its <c>supplementalCredentials</c> (Primary:Kerberos-Newer-Keys default salt)
/// or advertised by the KDC in PA-ETYPE-INFO2; use it when you have it.</para>
/// <para>The user rule takes the account name explicitly, because which name a domain controller used is not
/// derivable from the account alone. MS-KILE says "user name"; Windows documents the <c>sAMAccountName</c>, but a
/// user whose password was set while it had a UPN may be salted with the UPN prefix instead: Samba does exactly that
/// (its integration tests here show <c>CarolW</c> with UPN <c>carol.white@...</c> salted as <c>REALMcarol.white</c>), and
/// peers report the same from Windows (gokrb5 #416, Rubeus #215). The salt is fixed when the password is set, so a
/// later rename or UPN change does not alter it either. The reliable source is the default salt stored in the
/// account's <c>supplementalCredentials</c> (Primary:Kerberos-Newer-Keys) or advertised in PA-ETYPE-INFO2; pass the
/// name the salt was built from.</para>
/// </remarks>
public static class KerberosSalt
{
    /// <summary>The salt of a user account: UPPER(realm) + account name, case of the name preserved.</summary>
    /// <param name="realm">The DNS name of the realm, for example <c>contoso.com</c>.</param>
    /// <param name="accountName">The account name the salt was built from, usually the <c>sAMAccountName</c>.</param>
    /// <returns>The salt as UTF-8 bytes.</returns>
    /// <exception cref="ArgumentException">A parameter is null or empty.</exception>
    public static byte[] ForUser(string realm, string accountName)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        return Encoding.UTF8.GetBytes(realm.ToUpperInvariant() + accountName);
    }

    /// <summary>
    /// The salt of a computer, MSA or gMSA account: UPPER(realm) + "host" + lower(name without trailing "$") + "." + lower(realm).
    /// </summary>
    /// <param name="realm">The DNS name of the realm.</param>
    /// <param name="computerName">The <c>sAMAccountName</c> of the computer, with or without the trailing "$".</param>
    /// <returns>The salt as UTF-8 bytes.</returns>
    /// <exception cref="ArgumentException">A parameter is null or empty, or the name is only "$".</exception>
    public static byte[] ForComputer(string realm, string computerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentException.ThrowIfNullOrEmpty(computerName);
        string host = StripDollar(computerName, nameof(computerName));
        return Encoding.UTF8.GetBytes(
            realm.ToUpperInvariant() + "host" + host.ToLowerInvariant() + "." + realm.ToLowerInvariant());
    }

    /// <summary>
    /// The salt of an inter-realm trust account: UPPER(realm) + "krbtgt" + trusted domain flat name
    /// (the account name without its trailing "$", case preserved).
    /// </summary>
    /// <param name="realm">The DNS name of the realm holding the trust account.</param>
    /// <param name="trustAccountName">The trust account name, for example <c>FABRIKAM$</c>.</param>
    /// <returns>The salt as UTF-8 bytes.</returns>
    /// <exception cref="ArgumentException">A parameter is null or empty, or the name is only "$".</exception>
    public static byte[] ForTrust(string realm, string trustAccountName)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentException.ThrowIfNullOrEmpty(trustAccountName);
        return Encoding.UTF8.GetBytes(realm.ToUpperInvariant() + "krbtgt" + StripDollar(trustAccountName, nameof(trustAccountName)));
    }

    /// <summary>The salt for <paramref name="accountType"/> by the rules above.</summary>
    /// <param name="accountType">The kind of account.</param>
    /// <param name="realm">The DNS name of the realm.</param>
    /// <param name="accountName">The account name.</param>
    /// <returns>The salt as UTF-8 bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="accountType"/> is not defined.</exception>
    public static byte[] For(KerberosAccountType accountType, string realm, string accountName) => accountType switch
    {
        KerberosAccountType.User => ForUser(realm, accountName),
        KerberosAccountType.Computer => ForComputer(realm, accountName),
        KerberosAccountType.Trust => ForTrust(realm, accountName),
        _ => throw new ArgumentOutOfRangeException(nameof(accountType), accountType, "Unknown account type."),
    };

    private static string StripDollar(string name, string parameterName)
    {
        string stripped = name.EndsWith('$') ? name[..^1] : name;
        if (stripped.Length == 0)
        {
            throw new ArgumentException("The account name must not be empty apart from its trailing '$'.", parameterName);
        }

        return stripped;
    }
}
