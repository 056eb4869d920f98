using System.Globalization;

namespace PasswordHashSync.Replication.Kerberos;

/// <summary>The RFC 4120 section 7.5.9 error codes this client tells apart, and the administrator's text for each.</summary>
internal static class KerberosErrorCode
{
    public const int KdcErrClientPrincipalUnknown = 6;
    public const int KdcErrServicePrincipalUnknown = 7;
    public const int KdcErrPolicy = 12;
    public const int KdcErrBadOption = 13;
    public const int KdcErrEtypeNoSupport = 14;
    public const int KdcErrClientRevoked = 18;
    public const int KdcErrKeyExpired = 23;
    public const int KdcErrPreauthFailed = 24;
    public const int KdcErrPreauthRequired = 25;
    public const int ApErrBadIntegrity = 31;
    public const int ApErrTicketExpired = 32;
    public const int ApErrSkew = 37;
    public const int ApErrModified = 41;
    public const int ErrResponseTooBig = 52;
    public const int ErrGeneric = 60;
    public const int KdcErrWrongRealm = 68;

    /// <summary>The exception for a KRB-ERROR the KDC returned.</summary>
    /// <param name="code">The error code.</param>
    /// <param name="principal">The client or service principal the request was about (names only, no secrets).</param>
    /// <param name="kdc">The KDC that answered.</param>
    public static KerberosException ToException(int code, string principal, string kdc) =>
        new(Describe(code, principal, kdc), code) { Failure = KerberosFailure.KdcRefused, Kdc = kdc };

    /// <summary>The exception for a KRB-ERROR the domain controller returned instead of an AP-REP.</summary>
    /// <param name="code">The error code.</param>
    /// <param name="service">The service principal the ticket was for.</param>
    public static KerberosException FromServer(int code, string service) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The server {service} refused the Kerberos AP-REQ with {Name(code)} ({code}): {Reason(code)}."), code)
        {
            Failure = KerberosFailure.ServerRefused,
        };

    /// <summary>The RFC 4120 name of <paramref name="code"/> (KDC_ERR_PREAUTH_FAILED ...), or "Kerberos error N".</summary>
    /// <param name="code">The error code.</param>
    /// <returns>The name.</returns>
    public static string Name(int code) => code switch
    {
        KdcErrClientPrincipalUnknown => "KDC_ERR_C_PRINCIPAL_UNKNOWN",
        KdcErrServicePrincipalUnknown => "KDC_ERR_S_PRINCIPAL_UNKNOWN",
        KdcErrPolicy => "KDC_ERR_POLICY",
        KdcErrBadOption => "KDC_ERR_BADOPTION",
        KdcErrEtypeNoSupport => "KDC_ERR_ETYPE_NOSUPP",
        KdcErrClientRevoked => "KDC_ERR_CLIENT_REVOKED",
        KdcErrKeyExpired => "KDC_ERR_KEY_EXPIRED",
        KdcErrPreauthFailed => "KDC_ERR_PREAUTH_FAILED",
        KdcErrPreauthRequired => "KDC_ERR_PREAUTH_REQUIRED",
        ApErrBadIntegrity => "KRB_AP_ERR_BAD_INTEGRITY",
        ApErrTicketExpired => "KRB_AP_ERR_TKT_EXPIRED",
        ApErrSkew => "KRB_AP_ERR_SKEW",
        ApErrModified => "KRB_AP_ERR_MODIFIED",
        ErrResponseTooBig => "KRB_ERR_RESPONSE_TOO_BIG",
        ErrGeneric => "KRB_ERR_GENERIC",
        KdcErrWrongRealm => "KDC_ERR_WRONG_REALM",
        _ => string.Create(CultureInfo.InvariantCulture, $"Kerberos error {code}"),
    };

    /// <summary>What <paramref name="code"/> means for the administrator, in a few words (no principal, no KDC).</summary>
    /// <param name="code">The error code.</param>
    /// <returns>The reason, lower-case, without a final full stop.</returns>
    public static string Reason(int code) => code switch
    {
        KdcErrClientPrincipalUnknown => "unknown account (check the user name and the realm)",
        KdcErrServicePrincipalUnknown => "unknown service principal (check the domain controller's host name)",
        KdcErrPolicy => "refused by policy",
        KdcErrBadOption => "an option of the request is not allowed",
        KdcErrEtypeNoSupport => "no common encryption type (the account needs AES keys, or RC4 must be allowed explicitly)",
        KdcErrClientRevoked => "the account is disabled, locked out or expired",
        KdcErrKeyExpired => "the password has expired (change it)",
        KdcErrPreauthFailed => "wrong password (or wrong keytab key)",
        KdcErrPreauthRequired => "pre-authentication still required after it was sent",
        ApErrBadIntegrity => "the request did not verify (the key does not match)",
        ApErrTicketExpired => "the ticket has expired",
        ApErrSkew => "the clocks differ by more than the allowed skew, usually 5 minutes (synchronize the time)",
        ApErrModified => "the request did not decrypt (the ticket or key is wrong)",
        KdcErrWrongRealm => "the KDC is not authoritative for the realm",
        _ => "see RFC 4120 section 7.5.9",
    };

    private static string Describe(int code, string principal, string kdc) => code switch
    {
        KdcErrClientPrincipalUnknown => $"The KDC {kdc} does not know the account {principal} (KDC_ERR_C_PRINCIPAL_UNKNOWN): check the user name and realm.",
        KdcErrServicePrincipalUnknown => $"The KDC {kdc} does not know the service principal {principal} (KDC_ERR_S_PRINCIPAL_UNKNOWN): check the domain controller's host name.",
        KdcErrPolicy => $"The KDC {kdc} refused {principal} by policy (KDC_ERR_POLICY).",
        KdcErrEtypeNoSupport => $"The KDC {kdc} and this client share no encryption type for {principal} (KDC_ERR_ETYPE_NOSUPP): the account needs AES keys (set its password again after enabling AES), or RC4 must be allowed explicitly.",
        KdcErrClientRevoked => $"The account {principal} is disabled, locked out or expired (KDC_ERR_CLIENT_REVOKED, KDC {kdc}).",
        KdcErrKeyExpired => $"The password of {principal} has expired (KDC_ERR_KEY_EXPIRED, KDC {kdc}): change it.",
        KdcErrPreauthFailed => $"Wrong password (or wrong keytab key) for {principal} (KDC_ERR_PREAUTH_FAILED, KDC {kdc}).",
        KdcErrPreauthRequired => $"The KDC {kdc} still requires pre-authentication for {principal} (KDC_ERR_PREAUTH_REQUIRED) after this client sent it.",
        ApErrBadIntegrity => $"The KDC {kdc} could not verify the request for {principal} (KRB_AP_ERR_BAD_INTEGRITY): the key does not match.",
        ApErrTicketExpired => $"The ticket for {principal} has expired (KRB_AP_ERR_TKT_EXPIRED, KDC {kdc}); a new one is needed.",
        ApErrSkew => $"The clocks of this machine and of the KDC {kdc} differ by more than the allowed skew (KRB_AP_ERR_SKEW, usually 5 minutes): synchronize the time.",
        ApErrModified => $"The KDC {kdc} could not decrypt the request for {principal} (KRB_AP_ERR_MODIFIED): the ticket or key is wrong.",
        KdcErrWrongRealm => $"The KDC {kdc} is not authoritative for the realm of {principal} (KDC_ERR_WRONG_REALM).",
        _ => string.Create(CultureInfo.InvariantCulture, $"The KDC {kdc} refused the request for {principal} with Kerberos error {code}."),
    };
}
