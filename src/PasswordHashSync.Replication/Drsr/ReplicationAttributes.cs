namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// The attribute and class OIDs password hash sync reads (MS-ADA1/2/3; Samba's
/// <c>setup/ad-schema/AD_DS_*__Windows_Server_2016.ldf</c>). ATTRTYPs differ per reply (each reply's prefix table
/// decides), so the mapper works from OIDs.
/// </summary>
internal static class ReplicationAttributes
{
    /// <summary>objectClass (2.5.5.2: values are ATTRTYPs of classes).</summary>
    public const string ObjectClass = "2.5.4.0";

    /// <summary>adminDescription (2.5.5.12).</summary>
    public const string AdminDescription = "1.2.840.113556.1.2.226";

    /// <summary>objectGUID (2.5.5.10).</summary>
    public const string ObjectGuid = "1.2.840.113556.1.4.2";

    /// <summary>userAccountControl (2.5.5.9).</summary>
    public const string UserAccountControl = "1.2.840.113556.1.4.8";

    /// <summary>dBCSPwd (secret, RID layer).</summary>
    public const string DbcsPwd = "1.2.840.113556.1.4.55";

    /// <summary>unicodePwd (secret, RID layer).</summary>
    public const string UnicodePwd = "1.2.840.113556.1.4.90";

    /// <summary>ntPwdHistory (secret, RID layer).</summary>
    public const string NtPwdHistory = "1.2.840.113556.1.4.94";

    /// <summary>pwdLastSet (2.5.5.16).</summary>
    public const string PwdLastSet = "1.2.840.113556.1.4.96";

    /// <summary>supplementalCredentials (secret, envelope only).</summary>
    public const string SupplementalCredentials = "1.2.840.113556.1.4.125";

    /// <summary>objectSid (2.5.5.17).</summary>
    public const string ObjectSid = "1.2.840.113556.1.4.146";

    /// <summary>lmPwdHistory (secret, RID layer).</summary>
    public const string LmPwdHistory = "1.2.840.113556.1.4.160";

    /// <summary>sAMAccountName (2.5.5.12).</summary>
    public const string SamAccountName = "1.2.840.113556.1.4.221";

    /// <summary>userPrincipalName (2.5.5.12).</summary>
    public const string UserPrincipalName = "1.2.840.113556.1.4.656";

    /// <summary>The attributes a one-account request asks for (its partial attribute set).</summary>
    public static IReadOnlyList<string> AccountAttributes { get; } =
    [
        ObjectClass, AdminDescription, ObjectGuid, UserAccountControl, UnicodePwd, NtPwdHistory, PwdLastSet,
        SupplementalCredentials, ObjectSid, SamAccountName, UserPrincipalName,
    ];

    /// <summary>The lDAPDisplayName of a class OID, or the OID itself when it is not one of the known classes.</summary>
    /// <param name="oid">The governsID.</param>
    /// <returns>The class name.</returns>
    public static string ClassName(string oid) => oid switch
    {
        "2.5.6.0" => "top",
        "2.5.6.5" => "organizationalUnit",
        "2.5.6.6" => "person",
        "2.5.6.7" => "organizationalPerson",
        "1.2.840.113556.1.5.9" => "user",
        "1.2.840.113556.1.3.30" => "computer",
        "1.2.840.113556.1.5.15" => "contact",
        "2.16.840.1.113730.3.2.2" => "inetOrgPerson",
        "1.2.840.113556.1.5.8" => "group",
        "1.2.840.113556.1.3.23" => "container",
        "1.2.840.113556.1.5.67" => "domainDNS",
        "1.2.840.113556.1.5.76" => "foreignSecurityPrincipal",
        "1.2.840.113556.1.5.264" => "msDS-ManagedServiceAccount",
        "1.2.840.113556.1.5.282" => "msDS-GroupManagedServiceAccount",
        "1.2.840.113556.1.5.34" => "trustedDomain",
        _ => oid,
    };
}
