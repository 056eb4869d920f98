using System.Formats.Asn1;
using System.Security.Cryptography;
using PasswordHashSync.Replication.Kerberos.Crypto;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>
/// AP-REP (RFC 4120 5.5.2), APPLICATION 15: { pvno [0], msg-type [1], enc-part [2] }, and its EncAPRepPart
/// (APPLICATION 27): { ctime [0], cusec [1], subkey [2] OPTIONAL, seq-number [3] OPTIONAL }, under key usage 12.
/// </summary>
internal sealed class ApReply : IDisposable
{
    private ApReply(DateTimeOffset time, int microseconds, EncryptionKey? subkey, uint? sequenceNumber)
    {
        Time = time;
        Microseconds = microseconds;
        Subkey = subkey;
        SequenceNumber = sequenceNumber;
    }

    /// <summary>ctime (whole seconds).</summary>
    public DateTimeOffset Time { get; }

    /// <summary>cusec.</summary>
    public int Microseconds { get; }

    /// <summary>The acceptor subkey, when present.</summary>
    public EncryptionKey? Subkey { get; }

    /// <summary>The acceptor's initial sequence number, when present.</summary>
    public uint? SequenceNumber { get; }

    /// <summary>The identifier octet of AP-REP ([APPLICATION 15] constructed).</summary>
    public const byte FirstByte = 0x6F;

    /// <summary>Parses an AP-REP and decrypts its EncAPRepPart with <paramref name="sessionKey"/>.</summary>
    /// <exception cref="KerberosException">Malformed, or the part does not decrypt under the session key.</exception>
    public static ApReply Decrypt(ReadOnlyMemory<byte> data, EncryptionKey sessionKey, bool allowRc4)
    {
        EncryptedData encrypted = KerberosAsn1.Parse(data, "AP-REP", reader =>
        {
            AsnReader application = reader.ReadSequence(KerberosAsn1.Application(15));
            AsnReader sequence = application.ReadSequence();
            application.ThrowIfNotEmpty();
            if (KerberosAsn1.ReadInt32(sequence, 0) != 5 || KerberosAsn1.ReadInt32(sequence, 1) != 15)
            {
                throw new AsnContentException("Wrong protocol version or message type.");
            }

            EncryptedData part = EncryptedData.Read(sequence, 2);
            sequence.ThrowIfNotEmpty();
            return part;
        });
        if (encrypted.EncryptionType != sessionKey.EncryptionType)
        {
            throw new KerberosException("The server's AP-REP is encrypted with another type than the session key.");
        }

        byte[] plain = KerberosCiphers.Get(encrypted.EncryptionType, allowRc4).Decrypt(sessionKey.Value, KerberosKeyUsage.ApReplyEncryptedPart, encrypted.Cipher);
        try
        {
            return ParseEncryptedPart(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Parses a decrypted EncAPRepPart.</summary>
    /// <exception cref="KerberosException">The bytes are not that structure.</exception>
    public static ApReply ParseEncryptedPart(ReadOnlyMemory<byte> plain) =>
        KerberosAsn1.Parse(plain, "EncAPRepPart", reader =>
        {
            AsnReader application = reader.ReadSequence(KerberosAsn1.Application(27));
            AsnReader sequence = application.ReadSequence();
            application.ThrowIfNotEmpty();
            DateTimeOffset time = KerberosAsn1.ReadTime(sequence, 0);
            int microseconds = KerberosAsn1.ReadInt32(sequence, 1);
            EncryptionKey? subkey = KerberosAsn1.Has(sequence, 2) ? EncryptionKey.Read(sequence, 2) : null;
            try
            {
                uint? sequenceNumber = KerberosAsn1.Has(sequence, 3) ? KerberosAsn1.ReadUInt32(sequence, 3) : null;
                sequence.ThrowIfNotEmpty();
                return new ApReply(time, microseconds, subkey, sequenceNumber);
            }
            catch
            {
                subkey?.Dispose();
                throw;
            }
        });

    /// <summary>
    /// Encodes an AP-REP the way a server would (MS-KILE 3.4.5.1, the DCE-style third leg): EncAPRepPart with a fresh
    /// ctime/cusec, no subkey, and <paramref name="sequenceNumber"/> (the acceptor's), encrypted under the ticket
    /// session key with usage 12.
    /// </summary>
    public static byte[] Encode(EncryptionKey sessionKey, DateTimeOffset time, uint sequenceNumber, bool allowRc4)
    {
        var part = new AsnWriter(KerberosAsn1.Rules);
        part.PushSequence(KerberosAsn1.Application(27));
        part.PushSequence();
        KerberosAsn1.WriteTime(part, 0, time);
        KerberosAsn1.WriteInteger(part, 1, ApRequest.Microseconds(time));
        KerberosAsn1.WriteInteger(part, 3, sequenceNumber);
        part.PopSequence();
        part.PopSequence(KerberosAsn1.Application(27));
        byte[] plain = part.Encode();
        byte[] cipher = KerberosCiphers.Get(sessionKey.EncryptionType, allowRc4).Encrypt(sessionKey.Value, KerberosKeyUsage.ApReplyEncryptedPart, plain);
        CryptographicOperations.ZeroMemory(plain);

        var writer = new AsnWriter(KerberosAsn1.Rules);
        writer.PushSequence(KerberosAsn1.Application(15));
        writer.PushSequence();
        KerberosAsn1.WriteInteger(writer, 0, 5);
        KerberosAsn1.WriteInteger(writer, 1, 15);
        new EncryptedData(sessionKey.EncryptionType, null, cipher).Write(writer, 2);
        writer.PopSequence();
        writer.PopSequence(KerberosAsn1.Application(15));
        return writer.Encode();
    }

    /// <inheritdoc />
    public void Dispose() => Subkey?.Dispose();
}
