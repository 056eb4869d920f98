using System.Formats.Asn1;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>
/// AS-REQ and TGS-REQ (RFC 4120 5.4.1): KDC-REQ { pvno [1], msg-type [2], padata [3], req-body [4] } under
/// APPLICATION 10 or 12. The body is encoded on its own first, because the TGS-REQ authenticator checksums its exact
/// bytes.
/// </summary>
internal static class KdcRequest
{
    /// <summary>msg-type of AS-REQ.</summary>
    public const int AsRequest = 10;

    /// <summary>msg-type of TGS-REQ.</summary>
    public const int TgsRequest = 12;

    /// <summary>PA-TGS-REQ: the AP-REQ with the TGT.</summary>
    public const int PaTgsRequest = 1;

    /// <summary>PA-ENC-TIMESTAMP.</summary>
    public const int PaEncryptedTimestamp = 2;

    /// <summary>PA-ETYPE-INFO2.</summary>
    public const int PaEtypeInfo2 = 19;

    /// <summary>PA-PAC-REQUEST (MS-KILE 2.2.3): ask for the PAC the DC authorizes replication with.</summary>
    public const int PaPacRequest = 128;

    /// <summary>AS-REQ options: forwardable | renewable | canonicalize | renewable-ok (RFC 4120 5.4.1, RFC 6806).</summary>
    public static ReadOnlySpan<byte> AsOptions => [0x40, 0x81, 0x00, 0x10];

    /// <summary>
    /// TGS-REQ options: none. Asking a TGS for forwardable or renewable tickets the TGT does not allow is
    /// KDC_ERR_BADOPTION on Heimdal (Samba), and the replication client needs neither; without canonicalize the ticket
    /// keeps the service name asked for (Samba otherwise answers ldap/host with the account's host/ name).
    /// </summary>
    public static ReadOnlySpan<byte> TgsOptions => [0x00, 0x00, 0x00, 0x00];

    /// <summary>Encodes KDC-REQ-BODY.</summary>
    /// <param name="client">cname (AS-REQ only).</param>
    /// <param name="realm">The realm of the server principal (and of the client in an AS-REQ).</param>
    /// <param name="server">sname.</param>
    /// <param name="till">The requested end time.</param>
    /// <param name="nonce">The nonce the reply must echo.</param>
    /// <param name="encryptionTypes">The etypes the client accepts, preferred first.</param>
    /// <param name="options">KDCOptions, <see cref="AsOptions"/> or <see cref="TgsOptions"/>.</param>
    public static byte[] EncodeBody(
        ReadOnlySpan<byte> options,
        KerberosPrincipalName? client,
        string realm,
        KerberosPrincipalName server,
        DateTimeOffset till,
        uint nonce,
        ReadOnlySpan<KerberosEncryptionType> encryptionTypes)
    {
        var writer = new AsnWriter(KerberosAsn1.Rules);
        writer.PushSequence();
        writer.PushSequence(KerberosAsn1.Context(0));
        writer.WriteBitString(options);
        writer.PopSequence(KerberosAsn1.Context(0));
        client?.Write(writer, 1);
        KerberosAsn1.WriteString(writer, 2, realm);
        server.Write(writer, 3);
        KerberosAsn1.WriteTime(writer, 5, till);
        KerberosAsn1.WriteInteger(writer, 7, nonce);
        writer.PushSequence(KerberosAsn1.Context(8));
        writer.PushSequence();
        foreach (KerberosEncryptionType type in encryptionTypes)
        {
            writer.WriteInteger((int)type);
        }

        writer.PopSequence();
        writer.PopSequence(KerberosAsn1.Context(8));
        writer.PopSequence();
        return writer.Encode();
    }

    /// <summary>Encodes the whole request around an encoded body.</summary>
    /// <param name="messageType"><see cref="AsRequest"/> or <see cref="TgsRequest"/>.</param>
    /// <param name="preauthentication">padata entries (type, DER value), in order.</param>
    /// <param name="body">The output of <see cref="EncodeBody"/>.</param>
    public static byte[] Encode(int messageType, IReadOnlyList<(int Type, byte[] Value)> preauthentication, byte[] body)
    {
        var writer = new AsnWriter(KerberosAsn1.Rules);
        writer.PushSequence(KerberosAsn1.Application(messageType));
        writer.PushSequence();
        KerberosAsn1.WriteInteger(writer, 1, 5);
        KerberosAsn1.WriteInteger(writer, 2, messageType);
        if (preauthentication.Count > 0)
        {
            writer.PushSequence(KerberosAsn1.Context(3));
            writer.PushSequence();
            foreach ((int type, byte[] value) in preauthentication)
            {
                writer.PushSequence();
                KerberosAsn1.WriteInteger(writer, 1, type);
                KerberosAsn1.WriteOctets(writer, 2, value);
                writer.PopSequence();
            }

            writer.PopSequence();
            writer.PopSequence(KerberosAsn1.Context(3));
        }

        writer.PushSequence(KerberosAsn1.Context(4));
        writer.WriteEncodedValue(body);
        writer.PopSequence(KerberosAsn1.Context(4));
        writer.PopSequence();
        writer.PopSequence(KerberosAsn1.Application(messageType));
        return writer.Encode();
    }

    /// <summary>KERB-PA-PAC-REQUEST { include-pac [0] TRUE }.</summary>
    public static byte[] EncodePacRequest()
    {
        var writer = new AsnWriter(KerberosAsn1.Rules);
        writer.PushSequence();
        writer.PushSequence(KerberosAsn1.Context(0));
        writer.WriteBoolean(true);
        writer.PopSequence(KerberosAsn1.Context(0));
        writer.PopSequence();
        return writer.Encode();
    }

    /// <summary>PA-ENC-TS-ENC { patimestamp [0], pausec [1] } (RFC 4120 5.2.7.2), before encryption.</summary>
    public static byte[] EncodeTimestamp(DateTimeOffset now)
    {
        var writer = new AsnWriter(KerberosAsn1.Rules);
        writer.PushSequence();
        KerberosAsn1.WriteTime(writer, 0, now);
        KerberosAsn1.WriteInteger(writer, 1, (now.Ticks / 10) % 1_000_000);
        writer.PopSequence();
        return writer.Encode();
    }
}
