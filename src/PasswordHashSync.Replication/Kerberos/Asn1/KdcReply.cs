using System.Formats.Asn1;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>
/// AS-REP (APPLICATION 11) and TGS-REP (APPLICATION 13), RFC 4120 5.4.2: KDC-REP { pvno [0], msg-type [1],
/// padata [2] OPTIONAL, crealm [3], cname [4], ticket [5], enc-part [6] }.
/// </summary>
/// <param name="MessageType">11 or 13.</param>
/// <param name="Preauthentication">The padata entries (PA-ETYPE-INFO2 in an AS-REP tells the salt used).</param>
/// <param name="ClientRealm">crealm.</param>
/// <param name="ClientName">cname.</param>
/// <param name="Ticket">The ticket.</param>
/// <param name="EncryptedPart">The part encrypted with the reply key.</param>
internal sealed record KdcReply(
    int MessageType,
    IReadOnlyList<(int Type, byte[] Value)> Preauthentication,
    string ClientRealm,
    KerberosPrincipalName ClientName,
    KerberosTicket Ticket,
    EncryptedData EncryptedPart)
{
    /// <summary>msg-type of AS-REP.</summary>
    public const int AsReply = 11;

    /// <summary>msg-type of TGS-REP.</summary>
    public const int TgsReply = 13;

    /// <summary>Parses an AS-REP or TGS-REP of the expected type.</summary>
    /// <exception cref="KerberosException">The bytes are not that message.</exception>
    public static KdcReply Parse(ReadOnlyMemory<byte> data, int expectedType) =>
        KerberosAsn1.Parse(data, expectedType == AsReply ? "AS-REP" : "TGS-REP", reader =>
        {
            AsnReader application = reader.ReadSequence(KerberosAsn1.Application(expectedType));
            AsnReader sequence = application.ReadSequence();
            application.ThrowIfNotEmpty();
            if (KerberosAsn1.ReadInt32(sequence, 0) != 5 || KerberosAsn1.ReadInt32(sequence, 1) != expectedType)
            {
                throw new AsnContentException("Wrong protocol version or message type.");
            }

            IReadOnlyList<(int, byte[])> padata = KerberosAsn1.Has(sequence, 2) ? ReadMethodData(sequence, 2) : [];
            string clientRealm = KerberosAsn1.ReadString(sequence, 3);
            KerberosPrincipalName clientName = KerberosPrincipalName.Read(sequence, 4);
            AsnReader ticketTag = sequence.ReadSequence(KerberosAsn1.Context(5));
            KerberosTicket ticket = KerberosTicket.Read(ticketTag);
            ticketTag.ThrowIfNotEmpty();
            EncryptedData encryptedPart = EncryptedData.Read(sequence, 6);
            sequence.ThrowIfNotEmpty();
            return new KdcReply(expectedType, padata, clientRealm, clientName, ticket, encryptedPart);
        });

    /// <summary>Reads [tag] SEQUENCE OF PA-DATA { padata-type [1], padata-value [2] }.</summary>
    public static IReadOnlyList<(int Type, byte[] Value)> ReadMethodData(AsnReader reader, int tag)
    {
        AsnReader outer = reader.ReadSequence(KerberosAsn1.Context(tag));
        IReadOnlyList<(int, byte[])> result = ReadMethodData(outer);
        outer.ThrowIfNotEmpty();
        return result;
    }

    /// <summary>Reads a bare METHOD-DATA (SEQUENCE OF PA-DATA).</summary>
    public static IReadOnlyList<(int Type, byte[] Value)> ReadMethodData(AsnReader reader)
    {
        AsnReader list = reader.ReadSequence();
        var result = new List<(int, byte[])>();
        while (list.HasData)
        {
            AsnReader entry = list.ReadSequence();
            int type = KerberosAsn1.ReadInt32(entry, 1);
            byte[] value = KerberosAsn1.ReadOctets(entry, 2);
            entry.ThrowIfNotEmpty();
            result.Add((type, value));
        }

        return result;
    }
}
