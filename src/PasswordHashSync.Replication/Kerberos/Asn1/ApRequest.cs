using System.Formats.Asn1;
using PasswordHashSync.Replication.Kerberos.Crypto;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>
/// AP-REQ (RFC 4120 5.5.1), APPLICATION 14: { pvno [0], msg-type [1], ap-options [2], ticket [3], authenticator [4] },
/// with the Authenticator (APPLICATION 2, 5.5.1) encrypted under the ticket's session key.
/// </summary>
internal static class ApRequest
{
    /// <summary>No AP options (the TGS-REQ's AP-REQ).</summary>
    public static ReadOnlySpan<byte> NoOptions => [0x00, 0x00, 0x00, 0x00];

    /// <summary>mutual-required (bit 2): the server must answer with an AP-REP.</summary>
    public static ReadOnlySpan<byte> MutualRequired => [0x20, 0x00, 0x00, 0x00];

    /// <summary>The authenticator's fields.</summary>
    /// <param name="ClientRealm">crealm.</param>
    /// <param name="ClientName">cname.</param>
    /// <param name="Time">ctime and cusec.</param>
    /// <param name="ChecksumType">cksum type, or <see langword="null"/> for no checksum.</param>
    /// <param name="Checksum">cksum value.</param>
    /// <param name="Subkey">The initiator subkey, or <see langword="null"/>.</param>
    /// <param name="SequenceNumber">seq-number, or <see langword="null"/>.</param>
    internal readonly record struct AuthenticatorFields(
        string ClientRealm,
        KerberosPrincipalName ClientName,
        DateTimeOffset Time,
        int? ChecksumType,
        byte[]? Checksum,
        EncryptionKey? Subkey,
        uint? SequenceNumber);

    /// <summary>The microseconds part of a time, as cusec carries it.</summary>
    public static int Microseconds(DateTimeOffset time) => (int)((time.UtcTicks / 10) % 1_000_000);

    /// <summary>Encodes the Authenticator before encryption.</summary>
    public static byte[] EncodeAuthenticator(in AuthenticatorFields fields)
    {
        var writer = new AsnWriter(KerberosAsn1.Rules);
        writer.PushSequence(KerberosAsn1.Application(2));
        writer.PushSequence();
        KerberosAsn1.WriteInteger(writer, 0, 5);
        KerberosAsn1.WriteString(writer, 1, fields.ClientRealm);
        fields.ClientName.Write(writer, 2);
        if (fields.ChecksumType is int checksumType)
        {
            writer.PushSequence(KerberosAsn1.Context(3));
            writer.PushSequence();
            KerberosAsn1.WriteInteger(writer, 0, checksumType);
            KerberosAsn1.WriteOctets(writer, 1, fields.Checksum ?? []);
            writer.PopSequence();
            writer.PopSequence(KerberosAsn1.Context(3));
        }

        KerberosAsn1.WriteInteger(writer, 4, Microseconds(fields.Time));
        KerberosAsn1.WriteTime(writer, 5, fields.Time);
        fields.Subkey?.Write(writer, 6);
        if (fields.SequenceNumber is uint sequenceNumber)
        {
            KerberosAsn1.WriteInteger(writer, 7, sequenceNumber);
        }

        writer.PopSequence();
        writer.PopSequence(KerberosAsn1.Application(2));
        return writer.Encode();
    }

    /// <summary>Encodes an AP-REQ: the authenticator is encrypted under <paramref name="sessionKey"/> with <paramref name="usage"/>.</summary>
    public static byte[] Encode(KerberosTicket ticket, EncryptionKey sessionKey, int usage, in AuthenticatorFields fields, ReadOnlySpan<byte> options, bool allowRc4)
    {
        KerberosCipher cipher = KerberosCiphers.Get(sessionKey.EncryptionType, allowRc4);
        byte[] authenticator = EncodeAuthenticator(fields);
        byte[] encrypted;
        try
        {
            encrypted = cipher.Encrypt(sessionKey.Value, usage, authenticator);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(authenticator);
        }

        var writer = new AsnWriter(KerberosAsn1.Rules);
        writer.PushSequence(KerberosAsn1.Application(14));
        writer.PushSequence();
        KerberosAsn1.WriteInteger(writer, 0, 5);
        KerberosAsn1.WriteInteger(writer, 1, 14);
        writer.PushSequence(KerberosAsn1.Context(2));
        writer.WriteBitString(options);
        writer.PopSequence(KerberosAsn1.Context(2));
        writer.PushSequence(KerberosAsn1.Context(3));
        writer.WriteEncodedValue(ticket.Encoded);
        writer.PopSequence(KerberosAsn1.Context(3));
        new EncryptedData(sessionKey.EncryptionType, null, encrypted).Write(writer, 4);
        writer.PopSequence();
        writer.PopSequence(KerberosAsn1.Application(14));
        return writer.Encode();
    }
}
