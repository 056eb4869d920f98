using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication.Kerberos;

/// <summary>
/// Kerberos authentication failed: the KDC answered with a KRB-ERROR (wrong password, unknown principal, clock skew,
/// no common encryption type, expired password ...), could not be reached, or a KDC or server message was malformed
/// or failed its integrity check. The message says which, for an administrator; it never contains a key or ticket.
/// </summary>
public class KerberosException : RpcAuthenticationException
{
    /// <summary>Creates the exception.</summary>
    public KerberosException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public KerberosException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public KerberosException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a Kerberos error code.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="errorCode">The RFC 4120 section 7.5.9 error code.</param>
    public KerberosException(string message, int errorCode)
        : base(message)
    {
        ErrorCode = errorCode;
        IsKerberosUnavailable = errorCode is KerberosErrorCode.KdcErrClientPrincipalUnknown or KerberosErrorCode.KdcErrServicePrincipalUnknown or KerberosErrorCode.KdcErrWrongRealm;
    }

    /// <summary>
    /// The RFC 4120 section 7.5.9 error code: from the KDC's KRB-ERROR, or the code of the equivalent local check
    /// (31 KRB_AP_ERR_BAD_INTEGRITY for a ciphertext that does not verify); 0 when no code applies (a malformed message,
    /// an unreachable KDC). Common values: 6 client unknown, 7 service unknown, 14 no common encryption type (also: the
    /// account or KDC offers only RC4-HMAC and RC4 is not allowed, or the DC's service ticket has an RC4 session key,
    /// whose RFC 4757 wrap tokens are not implemented), 18 account disabled or locked, 23 password expired, 24 wrong
    /// password, 37 clock skew.
    /// </summary>
    public int ErrorCode { get; }

    /// <summary>
    /// Whether Kerberos was not possible at all, as opposed to refused: no KDC reachable, the KDC does not know the
    /// account, the service principal or the realm, or no DNS host name for the DC's service principal; a KDC that does
    /// not answer in time has an inner <see cref="TimeoutException"/>. Negotiate falls
    /// back to NTLM only then; a wrong password, a disabled account, clock skew or a weak-only KDC is a refusal.
    /// </summary>
    public bool IsKerberosUnavailable { get; init; }

    /// <summary>Who stopped the sign-in (the KDC, the DC, an unreachable KDC, a weak-only account), for the wording of <see cref="ReplicationErrors"/>.</summary>
    internal KerberosFailure Failure { get; init; }

    /// <summary>The KDC as host:port, when the failure concerns one.</summary>
    internal string? Kdc { get; init; }

    /// <summary>For <see cref="KerberosFailure.KdcUnreachable"/>: what happened ("connection refused", "no answer within 30 s" ...).</summary>
    internal string? UnreachableReason { get; init; }
}
