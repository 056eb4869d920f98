using System.Formats.Asn1;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>
/// EncASRepPart (APPLICATION 25) / EncTGSRepPart (APPLICATION 26), RFC 4120 5.4.2: the session key, nonce, times and
/// server name. RFC 4120 notes that some KDCs send an AS-REP part under tag 26; both tags are accepted for either reply.
/// </summary>
internal sealed class EncKdcReplyPart : IDisposable
{
    private EncKdcReplyPart(EncryptionKey key, uint nonce, DateTimeOffset authTime, DateTimeOffset? startTime, DateTimeOffset endTime, DateTimeOffset? renewTill, string serverRealm, KerberosPrincipalName serverName)
    {
        Key = key;
        Nonce = nonce;
        AuthTime = authTime;
        StartTime = startTime;
        EndTime = endTime;
        RenewTill = renewTill;
        ServerRealm = serverRealm;
        ServerName = serverName;
    }

    /// <summary>The session key of the ticket.</summary>
    public EncryptionKey Key { get; }

    /// <summary>The nonce, which must equal the request's.</summary>
    public uint Nonce { get; }

    /// <summary>authtime.</summary>
    public DateTimeOffset AuthTime { get; }

    /// <summary>starttime, when present.</summary>
    public DateTimeOffset? StartTime { get; }

    /// <summary>endtime: the ticket is useless after it.</summary>
    public DateTimeOffset EndTime { get; }

    /// <summary>renew-till, when present.</summary>
    public DateTimeOffset? RenewTill { get; }

    /// <summary>srealm.</summary>
    public string ServerRealm { get; }

    /// <summary>sname.</summary>
    public KerberosPrincipalName ServerName { get; }

    /// <summary>Parses the decrypted part.</summary>
    /// <exception cref="KerberosException">The bytes are not that structure.</exception>
    public static EncKdcReplyPart Parse(ReadOnlyMemory<byte> data) =>
        KerberosAsn1.Parse(data, "encrypted part of the KDC reply", reader =>
        {
            Asn1Tag tag = reader.PeekTag();
            if (!tag.HasSameClassAndValue(KerberosAsn1.Application(25)) && !tag.HasSameClassAndValue(KerberosAsn1.Application(26)))
            {
                throw new AsnContentException("Expected EncASRepPart or EncTGSRepPart.");
            }

            AsnReader application = reader.ReadSequence(tag);
            AsnReader sequence = application.ReadSequence();
            application.ThrowIfNotEmpty();
            EncryptionKey key = EncryptionKey.Read(sequence, 0);
            try
            {
                _ = sequence.ReadEncodedValue(); // last-req [1]
                uint nonce = KerberosAsn1.ReadUInt32(sequence, 2);
                KerberosAsn1.SkipIf(sequence, 3); // key-expiration
                _ = sequence.ReadEncodedValue(); // flags [4]
                DateTimeOffset authTime = KerberosAsn1.ReadTime(sequence, 5);
                DateTimeOffset? startTime = KerberosAsn1.Has(sequence, 6) ? KerberosAsn1.ReadTime(sequence, 6) : null;
                DateTimeOffset endTime = KerberosAsn1.ReadTime(sequence, 7);
                DateTimeOffset? renewTill = KerberosAsn1.Has(sequence, 8) ? KerberosAsn1.ReadTime(sequence, 8) : null;
                string serverRealm = KerberosAsn1.ReadString(sequence, 9);
                KerberosPrincipalName serverName = KerberosPrincipalName.Read(sequence, 10);
                KerberosAsn1.SkipIf(sequence, 11); // caddr
                KerberosAsn1.SkipIf(sequence, 12); // encrypted-pa-data
                sequence.ThrowIfNotEmpty();
                return new EncKdcReplyPart(key, nonce, authTime, startTime, endTime, renewTill, serverRealm, serverName);
            }
            catch
            {
                key.Dispose();
                throw;
            }
        });

    /// <inheritdoc />
    public void Dispose() => Key.Dispose();
}
