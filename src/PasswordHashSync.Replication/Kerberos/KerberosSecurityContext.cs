using System.Security.Cryptography;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Crypto;
using PasswordHashSync.Replication.Kerberos.Gss;
using PasswordHashSync.Replication.Kerberos.Kdc;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication.Kerberos;

/// <summary>
/// Raw Kerberos in DCE style (auth_type 16, MS-RPCE 2.2.1.1.7; MS-KILE 3.4.5.1): the bind carries a bare AP-REQ
/// (mutual-required, GSS checksum 0x8003 with DCE_STYLE, an initiator subkey and sequence number), the bind_ack a bare
/// AP-REP with the acceptor subkey and sequence number, and auth3 the client's AP-REP built as a server would. PDUs
/// are then sealed with RFC 4121 wrap tokens under the acceptor subkey, which is also the DRS session key.
/// </summary>
internal sealed class KerberosSecurityContext : IRpcSecurityContext
{
    /// <summary>auth_type RPC_C_AUTHN_GSS_KERBEROS.</summary>
    public const byte KerberosAuthType = 16;

    private readonly KerberosTicketGrant _serviceTicket;
    private readonly bool _allowRc4;
    private readonly TimeProvider _clock;
    private EncryptionKey? _initiatorSubkey;
    private EncryptionKey? _acceptorSubkey;
    private KerberosCipher? _cipher;
    private byte _sealFlags;
    private DateTimeOffset _authenticatorTime;
    private ulong _sendSequence;
    private ulong _receiveSequence;
    private bool _disposed;

    /// <summary>Creates the context for one connection; ownership of <paramref name="serviceTicket"/> passes to it.</summary>
    public KerberosSecurityContext(KerberosTicketGrant serviceTicket, bool allowRc4, TimeProvider? clock = null)
    {
        _serviceTicket = serviceTicket;
        _allowRc4 = allowRc4;
        _clock = clock ?? TimeProvider.System;
    }

    public byte AuthType => KerberosAuthType;

    public bool IsComplete { get; private set; }

    public int SignatureLength => CfxWrapToken.GetAuthValueLength(_cipher ?? KerberosCiphers.Get(_serviceTicket.SessionKey.EncryptionType, _allowRc4));

    public ReadOnlySpan<byte> SessionKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return IsComplete ? _acceptorSubkey!.Value : throw new RpcSecurityException("The Kerberos context is not complete; it has no session key yet.");
        }
    }

    public byte[] GetInitialToken()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_initiatorSubkey is not null)
        {
            throw new InvalidOperationException("The initial token was already produced.");
        }

        EncryptionKey sessionKey = _serviceTicket.SessionKey;
        KerberosCipher cipher = KerberosCiphers.Get(sessionKey.EncryptionType, _allowRc4);
        RequireAesMessageProtection(_serviceTicket);
        _initiatorSubkey = EncryptionKey.Random(sessionKey.EncryptionType, cipher.KeySize);

        // A random 30-bit initial sequence number: positive in any signed reading of the UInt32.
        uint sequenceNumber = (uint)RandomNumberGenerator.GetInt32(0, 1 << 30);
        _sendSequence = sequenceNumber;
        _authenticatorTime = _clock.GetUtcNow();
        var authenticator = new ApRequest.AuthenticatorFields(
            _serviceTicket.ClientRealm,
            _serviceTicket.ClientName,
            _authenticatorTime,
            GssChecksum.Type,
            GssChecksum.Encode(GssChecksum.DcePrivacyFlags),
            _initiatorSubkey,
            sequenceNumber);
        return ApRequest.Encode(_serviceTicket.Ticket, sessionKey, KerberosKeyUsage.ApRequestAuthenticator, authenticator, ApRequest.MutualRequired, _allowRc4);
    }

    public RpcAuthStep ProcessServerToken(ReadOnlySpan<byte> serverToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_initiatorSubkey is null || IsComplete)
        {
            throw new RpcAuthenticationException("A Kerberos server token arrived out of order.");
        }

        if (serverToken.IsEmpty)
        {
            throw new RpcAuthenticationException("The server answered the Kerberos bind without an AP-REP.");
        }

        byte[] token = serverToken.ToArray();
        if (token[0] == KerberosErrorMessage.FirstByte)
        {
            KerberosErrorMessage error = KerberosErrorMessage.Parse(token);
            throw KerberosErrorCode.FromServer(error.ErrorCode, _serviceTicket.Ticket.ServerName + "@" + _serviceTicket.Ticket.Realm);
        }

        using ApReply reply = ApReply.Decrypt(token, _serviceTicket.SessionKey, _allowRc4);

        // Mutual authentication (RFC 4120 3.2.5): the server proves it decrypted our authenticator by echoing its time.
        long ourSeconds = _authenticatorTime.ToUnixTimeSeconds();
        if (reply.Time.ToUnixTimeSeconds() != ourSeconds || reply.Microseconds != ApRequest.Microseconds(_authenticatorTime))
        {
            throw new RpcAuthenticationException("The server's AP-REP does not echo the authenticator's time: mutual authentication failed.");
        }

        // The acceptor subkey protects the PDUs; without one, the initiator subkey does (MS-KILE 3.1.1.2), and then
        // the tokens must not claim the acceptor subkey (RFC 4121 4.2.2: the AcceptorSubkey flag says which key is used).
        EncryptionKey tokenKey = reply.Subkey ?? _initiatorSubkey;
        _sealFlags = reply.Subkey is null ? CfxWrapToken.Sealed : (byte)(CfxWrapToken.Sealed | CfxWrapToken.AcceptorSubkey);
        _acceptorSubkey = new EncryptionKey(tokenKey.EncryptionType, tokenKey.Value);
        _cipher = KerberosCiphers.Get(_acceptorSubkey.EncryptionType, _allowRc4);
        if (_cipher is Rc4HmacCipher)
        {
            throw Rc4MessageProtection($"The server {_serviceTicket.Ticket.ServerName}@{_serviceTicket.Ticket.Realm} chose an RC4-HMAC (etype 23) subkey in its AP-REP");
        }

        uint serverSequence = reply.SequenceNumber ?? 0;
        _receiveSequence = serverSequence;
        byte[] thirdLeg = ApReply.Encode(_serviceTicket.SessionKey, _clock.GetUtcNow(), serverSequence, _allowRc4);
        IsComplete = true;
        return new RpcAuthStep(thirdLeg, RpcAuthLeg.Auth3);
    }

    public void Seal(Span<byte> pdu, int stubOffset, int stubAndPadLength)
    {
        KerberosCipher cipher = RequireComplete();
        Span<byte> authValue = pdu[^SignatureLength..];
        CfxWrapToken.Seal(cipher, _acceptorSubkey!.Value, KerberosKeyUsage.InitiatorSeal, _sealFlags, _sendSequence, pdu.Slice(stubOffset, stubAndPadLength), authValue);
        _sendSequence++;
    }

    public void Unseal(Span<byte> pdu, int stubOffset, int stubAndPadLength)
    {
        KerberosCipher cipher = RequireComplete();

        // The auth_value follows the 8-byte sec_trailer that follows stub + pad (MS-RPCE 2.2.2.11).
        int authValueOffset = stubOffset + stubAndPadLength + 8;
        if (authValueOffset > pdu.Length)
        {
            throw new RpcSecurityException("The PDU is too short for its sec_trailer.");
        }

        byte required = (byte)(CfxWrapToken.SentByAcceptor | CfxWrapToken.Sealed);
        CfxWrapToken.Unseal(cipher, _acceptorSubkey!.Value, KerberosKeyUsage.AcceptorSeal, required, _receiveSequence, pdu.Slice(stubOffset, stubAndPadLength), pdu[authValueOffset..]);
        _receiveSequence++;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _initiatorSubkey?.Dispose();
        _acceptorSubkey?.Dispose();
        _serviceTicket.Dispose();
    }

    /// <summary>
    /// Refuses a service ticket whose session key is RC4-HMAC before anything is sent: the subkeys would be RC4 too, and
    /// the PDUs would need RFC 4757 wrap tokens, which this client does not implement (only RFC 4121 AES tokens).
    /// </summary>
    /// <param name="serviceTicket">The DC's service ticket.</param>
    /// <exception cref="KerberosException">The session key is RC4 (error code 14, KDC_ERR_ETYPE_NOSUPP).</exception>
    public static void RequireAesMessageProtection(KerberosTicketGrant serviceTicket)
    {
        ArgumentNullException.ThrowIfNull(serviceTicket);
        if (serviceTicket.SessionKey.EncryptionType == (int)PasswordHashSync.Kerberos.KerberosEncryptionType.Rc4Hmac)
        {
            throw Rc4MessageProtection($"The KDC issued the service ticket for {serviceTicket.Ticket.ServerName}@{serviceTicket.Ticket.Realm} with an RC4-HMAC (etype 23) session key");
        }
    }

    private static KerberosException Rc4MessageProtection(string what) => new(
        what + ". Signing and sealing DCE/RPC with an RC4 key (RFC 4757 wrap tokens) is not implemented, only AES (RFC 4121), so the sign-in was stopped before any PDU was protected. " +
        "Give the domain controller's account AES keys (msDS-SupportedEncryptionTypes; on Samba, a 'kdc supported enctypes' that includes AES), or sign in with NTLM.",
        KerberosErrorCode.KdcErrEtypeNoSupport);

    public override string ToString() => $"Kerberos context for {_serviceTicket.Ticket.ServerName}@{_serviceTicket.Ticket.Realm}{(IsComplete ? " (complete)" : string.Empty)}";

    private KerberosCipher RequireComplete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return IsComplete && _cipher is not null ? _cipher : throw new RpcSecurityException("The Kerberos context is not complete; PDUs cannot be sealed yet.");
    }
}
