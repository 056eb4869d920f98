using System.Security.Cryptography;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Crypto;

namespace PasswordHashSync.Replication.Kerberos.Kdc;

/// <summary>
/// The AS and TGS exchanges (RFC 4120 3.1 and 3.3) against one KDC: an AS-REQ that answers KDC_ERR_PREAUTH_REQUIRED
/// with PA-ENC-TIMESTAMP under the key the KDC's PA-ETYPE-INFO2 names (salt and iteration count), then TGS-REQs for
/// service tickets. Every KRB-ERROR becomes a <see cref="KerberosException"/> with its code and an administrator's text.
/// </summary>
internal sealed class KdcClient
{
    private readonly KdcEndpoint _kdc;
    private readonly TimeSpan _timeout;
    private readonly bool _allowRc4;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _ticketLifetime;
    private readonly TimeSpan _serviceTicketLifetime;

    /// <summary>Creates the client.</summary>
    /// <param name="kdc">The KDC.</param>
    /// <param name="timeout">How long one exchange may take.</param>
    /// <param name="allowRc4">Whether RC4-HMAC may be used.</param>
    /// <param name="clock">
    /// The clock for PA-ENC-TIMESTAMP, authenticators and requested lifetimes (<see cref="TimeProvider.System"/> unless
    /// given; tests pass a skewed one to see the KDC's KRB_AP_ERR_SKEW).
    /// </param>
    /// <param name="ticketLifetime">The lifetime asked for (10 hours unless given; the KDC grants at most its policy).</param>
    /// <param name="serviceTicketLifetime">The lifetime asked for in TGS requests (<paramref name="ticketLifetime"/> unless given).</param>
    public KdcClient(KdcEndpoint kdc, TimeSpan timeout, bool allowRc4, TimeProvider? clock = null, TimeSpan? ticketLifetime = null, TimeSpan? serviceTicketLifetime = null)
    {
        _ticketLifetime = ticketLifetime ?? TimeSpan.FromHours(10);
        _serviceTicketLifetime = serviceTicketLifetime ?? _ticketLifetime;
        _kdc = kdc;
        _timeout = timeout;
        _allowRc4 = allowRc4;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Gets a ticket-granting ticket for <paramref name="userName"/>@<paramref name="realm"/>.</summary>
    /// <exception cref="KerberosException">The KDC refused (wrong password, unknown user, skew ...) or sent something malformed, or cannot be reached or did not answer in time (<see cref="KerberosException.IsKerberosUnavailable"/>).</exception>
    public async Task<KerberosTicketGrant> GetTicketGrantingTicketAsync(string userName, string realm, KerberosClientKeys keys, CancellationToken cancellationToken)
    {
        KerberosPrincipalName client = KerberosPrincipalName.User(userName);
        KerberosPrincipalName krbtgt = KerberosPrincipalName.Service("krbtgt", realm);
        string who = userName + "@" + realm;
        KerberosEncryptionType[] offered = [.. KerberosCiphers.Offered(_allowRc4).Where(t => keys.CanProvide((int)t))];
        if (offered.Length == 0)
        {
            throw new KerberosException($"No key of an accepted encryption type is available for {who} (AES needed; RC4 only when enabled).", KerberosErrorCode.KdcErrEtypeNoSupport);
        }

        // First attempt without pre-authentication: the KDC answers with the etypes, salts and iteration counts it holds.
        byte[] reply = await SendAsRequestAsync(client, realm, krbtgt, offered, null, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<EtypeInfo2Entry> etypeInfo = [];
        if (reply[0] == KerberosErrorMessage.FirstByte)
        {
            KerberosErrorMessage error = KerberosErrorMessage.Parse(reply);
            bool noStrongKey = error.ErrorCode == KerberosErrorCode.KdcErrEtypeNoSupport
                || (error.ErrorCode == KerberosErrorCode.KdcErrPreauthRequired && !error.GetEtypeInfo2().Any(e => KerberosCiphers.Find(e.EncryptionType, allowRc4: false) is not null));
            if (noStrongKey && !_allowRc4)
            {
                await RefuseWeakOnlyAsync(client, realm, krbtgt, who, cancellationToken).ConfigureAwait(false);
            }

            if (error.ErrorCode != KerberosErrorCode.KdcErrPreauthRequired)
            {
                throw KerberosErrorCode.ToException(error.ErrorCode, who, _kdc.ToString());
            }

            etypeInfo = error.GetEtypeInfo2();
            EtypeInfo2Entry chosen = ChooseEtype(etypeInfo, offered, keys, who);
            using EncryptionKey preauthKey = keys.GetKey(chosen.EncryptionType, chosen.Salt, chosen.GetIterationCount(), realm, client)
                ?? throw new KerberosException($"No key of encryption type {chosen.EncryptionType} is available for {who}.", KerberosErrorCode.KdcErrEtypeNoSupport);
            byte[] timestamp = KdcRequest.EncodeTimestamp(_clock.GetUtcNow());
            byte[] encryptedTimestamp = KerberosCiphers.Get(preauthKey.EncryptionType, _allowRc4).Encrypt(preauthKey.Value, KerberosKeyUsage.AsRequestTimestamp, timestamp);
            byte[] paValue = new EncryptedData(preauthKey.EncryptionType, null, encryptedTimestamp).Encode();
            reply = await SendAsRequestAsync(client, realm, krbtgt, offered, paValue, cancellationToken).ConfigureAwait(false);
            if (reply[0] == KerberosErrorMessage.FirstByte)
            {
                throw KerberosErrorCode.ToException(KerberosErrorMessage.Parse(reply).ErrorCode, who, _kdc.ToString());
            }
        }

        return DecryptAsReply(reply, realm, client, keys, etypeInfo, who);
    }

    /// <summary>Gets a service ticket for <paramref name="service"/> in the TGT's realm.</summary>
    /// <exception cref="KerberosException">The KDC refused (unknown service principal, expired TGT ...) or sent something malformed.</exception>
    public async Task<KerberosTicketGrant> GetServiceTicketAsync(KerberosTicketGrant ticketGrantingTicket, KerberosPrincipalName service, CancellationToken cancellationToken)
    {
        string realm = ticketGrantingTicket.Ticket.Realm;
        uint nonce = NewNonce();
        byte[] body = KdcRequest.EncodeBody(KdcRequest.TgsOptions, null, realm, service, _clock.GetUtcNow() + _serviceTicketLifetime, nonce, KerberosCiphers.Offered(_allowRc4));
        EncryptionKey sessionKey = ticketGrantingTicket.SessionKey;
        KerberosCipher cipher = KerberosCiphers.Get(sessionKey.EncryptionType, _allowRc4);
        var authenticator = new ApRequest.AuthenticatorFields(
            ticketGrantingTicket.ClientRealm,
            ticketGrantingTicket.ClientName,
            _clock.GetUtcNow(),
            cipher.ChecksumType,
            cipher.GetChecksum(sessionKey.Value, KerberosKeyUsage.TgsRequestBodyChecksum, body),
            null,
            null);
        byte[] apRequest = ApRequest.Encode(ticketGrantingTicket.Ticket, sessionKey, KerberosKeyUsage.TgsRequestAuthenticator, authenticator, ApRequest.NoOptions, _allowRc4);
        byte[] request = KdcRequest.Encode(KdcRequest.TgsRequest, [(KdcRequest.PaTgsRequest, apRequest)], body);
        byte[] reply = await KdcTransport.ExchangeAsync(_kdc, request, _timeout, cancellationToken).ConfigureAwait(false);
        string what = service + "@" + realm;
        if (reply[0] == KerberosErrorMessage.FirstByte)
        {
            throw KerberosErrorCode.ToException(KerberosErrorMessage.Parse(reply).ErrorCode, what, _kdc.ToString());
        }

        KdcReply parsed = KdcReply.Parse(reply, KdcReply.TgsReply);
        if (parsed.EncryptedPart.EncryptionType != sessionKey.EncryptionType)
        {
            throw new KerberosException($"The KDC {_kdc} encrypted the TGS-REP for {what} with another type than the TGT session key.");
        }

        byte[] plain = cipher.Decrypt(sessionKey.Value, KerberosKeyUsage.TgsReplyEncryptedPartSessionKey, parsed.EncryptedPart.Cipher);
        try
        {
            return Grant(parsed, EncKdcReplyPart.Parse(plain), nonce, what);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private KerberosTicketGrant DecryptAsReply(byte[] reply, string realm, KerberosPrincipalName client, KerberosClientKeys keys, IReadOnlyList<EtypeInfo2Entry> etypeInfo, string who)
    {
        KdcReply parsed = KdcReply.Parse(reply, KdcReply.AsReply);
        int etype = parsed.EncryptedPart.EncryptionType;
        KerberosCipher cipher = KerberosCiphers.Find(etype, _allowRc4) ?? throw WeakOnly(who, [etype]);

        // The reply key's salt: the AS-REP's own PA-ETYPE-INFO2 when it has one, else the one announced earlier.
        EtypeInfo2Entry? info = SafeEtypeInfo(parsed.Preauthentication).Concat(etypeInfo).FirstOrDefault(e => e.EncryptionType == etype);
        using EncryptionKey replyKey = keys.GetKey(etype, info?.Salt, info?.GetIterationCount(), realm, client)
            ?? throw new KerberosException($"The KDC {_kdc} answered for {who} with encryption type {etype}, of which no key is available.", KerberosErrorCode.KdcErrEtypeNoSupport);
        byte[] plain;
        try
        {
            plain = cipher.Decrypt(replyKey.Value, KerberosKeyUsage.AsReplyEncryptedPart, parsed.EncryptedPart.Cipher);
        }
        catch (KerberosException e) when (e.ErrorCode == KerberosErrorCode.ApErrBadIntegrity)
        {
            // Without pre-authentication the first sign of a wrong password is an AS-REP that does not decrypt.
            throw new KerberosException($"Wrong password (or wrong keytab key) for {who}: the AS-REP from {_kdc} does not decrypt.", KerberosErrorCode.KdcErrPreauthFailed);
        }

        try
        {
            return Grant(parsed, EncKdcReplyPart.Parse(plain), expectedNonce: null, who);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private uint _lastAsNonce;

    private async Task<byte[]> SendAsRequestAsync(KerberosPrincipalName client, string realm, KerberosPrincipalName krbtgt, KerberosEncryptionType[] offered, byte[]? encryptedTimestamp, CancellationToken cancellationToken)
    {
        _lastAsNonce = NewNonce();
        byte[] body = KdcRequest.EncodeBody(KdcRequest.AsOptions, client, realm, krbtgt, _clock.GetUtcNow() + _ticketLifetime, _lastAsNonce, offered);
        var padata = new List<(int, byte[])>();
        if (encryptedTimestamp is not null)
        {
            padata.Add((KdcRequest.PaEncryptedTimestamp, encryptedTimestamp));
        }

        padata.Add((KdcRequest.PaPacRequest, KdcRequest.EncodePacRequest()));
        byte[] reply = await KdcTransport.ExchangeAsync(_kdc, KdcRequest.Encode(KdcRequest.AsRequest, padata, body), _timeout, cancellationToken).ConfigureAwait(false);
        return reply;
    }

    private KerberosTicketGrant Grant(KdcReply reply, EncKdcReplyPart part, uint? expectedNonce, string what)
    {
        try
        {
            if (part.Nonce != (expectedNonce ?? _lastAsNonce))
            {
                throw new KerberosException($"The KDC {_kdc} answered for {what} with another nonce than the request's (a replayed or misdirected reply).");
            }

            if (KerberosCiphers.Find(part.Key.EncryptionType, _allowRc4) is null)
            {
                throw WeakOnly(what, [part.Key.EncryptionType]);
            }

            var grant = new KerberosTicketGrant(reply.ClientRealm, reply.ClientName, reply.Ticket, new EncryptionKey(part.Key.EncryptionType, part.Key.Value), part.EndTime);
            return grant;
        }
        finally
        {
            part.Dispose();
        }
    }

    private EtypeInfo2Entry ChooseEtype(IReadOnlyList<EtypeInfo2Entry> entries, KerberosEncryptionType[] offered, KerberosClientKeys keys, string who)
    {
        if (entries.Count == 0)
        {
            // MIT, Heimdal and Windows always announce the keys they hold among the offered types; none announced
            // means the account has no key of an accepted type (typically RC4 or DES only).
            throw new KerberosException(
                $"The KDC {_kdc} announced no key of the offered encryption types ({string.Join(", ", offered.Select(t => (int)t))}) for {who}; the account may have only weak (RC4/DES) keys, which are refused unless RC4 is enabled explicitly.",
                KerberosErrorCode.KdcErrEtypeNoSupport);
        }

        // The KDC lists the etypes it holds keys for, in its order of preference among the ones we offered.
        foreach (EtypeInfo2Entry entry in entries)
        {
            if (KerberosCiphers.Find(entry.EncryptionType, _allowRc4) is not null && keys.CanProvide(entry.EncryptionType))
            {
                return entry;
            }
        }

        throw WeakOnly(who, [.. entries.Select(e => e.EncryptionType)]);
    }

    /// <summary>
    /// The KDC has no AES key for the account among the types offered (KDC_ERR_ETYPE_NOSUPP, or PREAUTH_REQUIRED
    /// announcing none): asks once more, without pre-authentication and offering the AES types and RC4-HMAC, to tell
    /// "only RC4" from "nothing in common" by the keys the KDC then announces (its PA-ETYPE-INFO2, or the etype of an
    /// AS-REP when the account needs no pre-authentication). AES stays offered because the types also choose the TGT's
    /// session key: MIT refuses an RC4-only request when krbtgt has no RC4 key. Nothing is encrypted with the account's
    /// key, and an AS-REP to the probe is not decrypted.
    /// </summary>
    /// <exception cref="KerberosException">Always: weak-only (code 14, <see cref="KerberosFailure.WeakEncryptionOnly"/>) when the KDC announces RC4, else the probe's own KRB-ERROR (14 when nothing is in common).</exception>
    private async Task RefuseWeakOnlyAsync(KerberosPrincipalName client, string realm, KerberosPrincipalName krbtgt, string who, CancellationToken cancellationToken)
    {
        byte[] probe = await SendAsRequestAsync(client, realm, krbtgt, KerberosCiphers.Offered(allowRc4: true), null, cancellationToken).ConfigureAwait(false);
        try
        {
            if (probe[0] != KerberosErrorMessage.FirstByte)
            {
                int replyEtype = KdcReply.Parse(probe, KdcReply.AsReply).EncryptedPart.EncryptionType;
                throw replyEtype == (int)KerberosEncryptionType.Rc4Hmac
                    ? Rc4Only(_kdc.ToString(), who)
                    : KerberosErrorCode.ToException(KerberosErrorCode.KdcErrEtypeNoSupport, who, _kdc.ToString());
            }

            KerberosErrorMessage error = KerberosErrorMessage.Parse(probe);
            IReadOnlyList<EtypeInfo2Entry> announced = error.ErrorCode == KerberosErrorCode.KdcErrPreauthRequired ? error.GetEtypeInfo2() : [];
            if (announced.Any(e => e.EncryptionType == (int)KerberosEncryptionType.Rc4Hmac))
            {
                throw Rc4Only(_kdc.ToString(), who);
            }

            // DES only, or KDC_ERR_ETYPE_NOSUPP again (nothing in common); any other code is the KDC's own answer.
            throw announced.Count > 0 ? WeakOnly(who, [.. announced.Select(e => e.EncryptionType)])
                : KerberosErrorCode.ToException(error.ErrorCode == KerberosErrorCode.KdcErrPreauthRequired ? KerberosErrorCode.KdcErrEtypeNoSupport : error.ErrorCode, who, _kdc.ToString());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(probe);
        }
    }

    /// <summary>The refusal of an account or KDC that offers RC4-HMAC and no AES key, while RC4 is not allowed.</summary>
    /// <param name="kdc">The KDC as host:port.</param>
    /// <param name="who">The client principal.</param>
    /// <returns>The exception (code 14, <see cref="KerberosFailure.WeakEncryptionOnly"/>, not "Kerberos unavailable").</returns>
    internal static KerberosException Rc4Only(string kdc, string who) => new(
        $"The KDC {kdc} offers only weak encryption for {who}: RC4-HMAC (etype 23), no AES key (KDC_ERR_ETYPE_NOSUPP for AES). RC4 is not allowed, so the sign-in was refused. " +
        "Remedy: give the account AES keys by resetting its password on a domain controller at Windows Server 2008 domain functional level or later, " +
        "or allow RC4 explicitly (AllowRc4 on the Kerberos credential; pwsync --allow-rc4).",
        KerberosErrorCode.KdcErrEtypeNoSupport)
    {
        Failure = KerberosFailure.WeakEncryptionOnly,
        Kdc = kdc,
    };

    private KerberosException WeakOnly(string who, int[] types)
    {
        bool weak = types.All(t => t is (int)KerberosEncryptionType.Rc4Hmac or (int)KerberosEncryptionType.DesCbcCrc or (int)KerberosEncryptionType.DesCbcMd5 or 24);
        return new KerberosException(
            weak
                ? $"The KDC {_kdc} offers only weak encryption types ({string.Join(", ", types)}) for {who}; refused. Give the account AES keys (set its password again), or enable RC4 explicitly."
                : $"The KDC {_kdc} offers no encryption type this client can use for {who} ({string.Join(", ", types)}).",
            KerberosErrorCode.KdcErrEtypeNoSupport)
        {
            Failure = weak ? KerberosFailure.WeakEncryptionOnly : KerberosFailure.KdcRefused,
            Kdc = _kdc.ToString(),
        };
    }

    private static IEnumerable<EtypeInfo2Entry> SafeEtypeInfo(IReadOnlyList<(int Type, byte[] Value)> padata)
    {
        try
        {
            return EtypeInfo2Entry.FromPreauthentication(padata);
        }
        catch (System.Formats.Asn1.AsnContentException e)
        {
            throw new KerberosException("The PA-ETYPE-INFO2 of the AS-REP is malformed.", e);
        }
    }

    private static uint NewNonce() => (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
}
