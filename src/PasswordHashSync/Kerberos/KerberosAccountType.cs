namespace PasswordHashSync.Kerberos;

/// <summary>The kind of account whose default Active Directory salt is built (MS-KILE 3.1.1.2).</summary>
public enum KerberosAccountType
{
    /// <summary>A user account: salt = UPPER(realm) + account name (case preserved).</summary>
    User = 0,

    /// <summary>
    /// A computer, managed service or group managed service account: salt = UPPER(realm) + "host" +
    /// lower(name without the trailing "$") + "." + lower(realm).
    /// </summary>
    Computer = 1,

    /// <summary>An inter-realm trust account: salt = UPPER(realm) + "krbtgt" + trusted domain flat name.</summary>
    Trust = 2,
}
