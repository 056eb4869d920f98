namespace PasswordHashSync.Replication.Kerberos.Crypto;

/// <summary>The key usage numbers this client uses (RFC 4120 7.5.1; RFC 4121 2 for the GSS wrap tokens).</summary>
internal static class KerberosKeyUsage
{
    /// <summary>AS-REQ PA-ENC-TIMESTAMP padata timestamp, encrypted with the client key.</summary>
    public const int AsRequestTimestamp = 1;

    /// <summary>AS-REP encrypted part, encrypted with the client key.</summary>
    public const int AsReplyEncryptedPart = 3;

    /// <summary>TGS-REQ PA-TGS-REQ authenticator checksum over the request body, keyed with the TGS session key.</summary>
    public const int TgsRequestBodyChecksum = 6;

    /// <summary>TGS-REQ PA-TGS-REQ AP-REQ authenticator, encrypted with the TGS session key.</summary>
    public const int TgsRequestAuthenticator = 7;

    /// <summary>TGS-REP encrypted part, encrypted with the TGS session key.</summary>
    public const int TgsReplyEncryptedPartSessionKey = 8;

    /// <summary>AP-REQ authenticator, encrypted with the application session key.</summary>
    public const int ApRequestAuthenticator = 11;

    /// <summary>AP-REP encrypted part, encrypted with the application session key.</summary>
    public const int ApReplyEncryptedPart = 12;

    /// <summary>RFC 4121 wrap token sealed by the acceptor.</summary>
    public const int AcceptorSeal = 22;

    /// <summary>RFC 4121 MIC token or sign-only wrap token by the acceptor.</summary>
    public const int AcceptorSign = 23;

    /// <summary>RFC 4121 wrap token sealed by the initiator.</summary>
    public const int InitiatorSeal = 24;

    /// <summary>RFC 4121 MIC token or sign-only wrap token by the initiator.</summary>
    public const int InitiatorSign = 25;
}
