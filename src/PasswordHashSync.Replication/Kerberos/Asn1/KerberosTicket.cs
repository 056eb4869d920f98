using System.Formats.Asn1;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>
/// Ticket (RFC 4120 5.3): [APPLICATION 1] { tkt-vno [0], realm [1], sname [2], enc-part [3] }. The DER is kept as
/// received and embedded unchanged in AP-REQs (re-encoding could change bytes the service key authenticates).
/// </summary>
/// <param name="Encoded">The DER of the whole ticket.</param>
/// <param name="Realm">The service realm.</param>
/// <param name="ServerName">The service principal.</param>
/// <param name="EncryptionType">The etype of the part encrypted with the service key.</param>
internal sealed record KerberosTicket(byte[] Encoded, string Realm, KerberosPrincipalName ServerName, int EncryptionType)
{
    /// <summary>Reads a Ticket (APPLICATION 1).</summary>
    public static KerberosTicket Read(AsnReader reader)
    {
        byte[] encoded = reader.PeekEncodedValue().ToArray();
        AsnReader application = reader.ReadSequence(KerberosAsn1.Application(1));
        AsnReader sequence = application.ReadSequence();
        application.ThrowIfNotEmpty();
        if (KerberosAsn1.ReadInt32(sequence, 0) != 5)
        {
            throw new AsnContentException("The ticket version is not 5.");
        }

        string realm = KerberosAsn1.ReadString(sequence, 1);
        KerberosPrincipalName serverName = KerberosPrincipalName.Read(sequence, 2);
        EncryptedData encryptedPart = EncryptedData.Read(sequence, 3);
        sequence.ThrowIfNotEmpty();
        return new KerberosTicket(encoded, realm, serverName, encryptedPart.EncryptionType);
    }

    /// <summary>Names the service, never the ticket bytes.</summary>
    public override string ToString() => $"Ticket({ServerName}@{Realm}, etype {EncryptionType})";
}
