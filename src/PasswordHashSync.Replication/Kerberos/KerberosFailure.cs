namespace PasswordHashSync.Replication.Kerberos;

/// <summary>
/// Who stopped a Kerberos sign-in, so <see cref="ReplicationErrors"/> words the administrator's message from facts
/// rather than from the text of an exception (<see cref="KerberosException.Failure"/>).
/// </summary>
internal enum KerberosFailure
{
    /// <summary>Anything else: a malformed message, no usable key, no host name for the DC, an RC4 session key.</summary>
    Other = 0,

    /// <summary>The KDC answered with a KRB-ERROR (wrong password, unknown principal, clock skew, disabled account ...).</summary>
    KdcRefused,

    /// <summary>The KDC could not be reached: connection refused, no answer in time, the name does not resolve.</summary>
    KdcUnreachable,

    /// <summary>The KDC offers only weak encryption types for the account (RC4-HMAC or DES), and they are not allowed.</summary>
    WeakEncryptionOnly,

    /// <summary>The domain controller answered the AP-REQ with a KRB-ERROR.</summary>
    ServerRefused,
}
