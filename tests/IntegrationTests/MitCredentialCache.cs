using System.Buffers.Binary;
using System.Text;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Kdc;

namespace PasswordHashSync.IntegrationTests;

/// <summary>
/// Writes tickets the library obtained into an MIT credential cache file (format 0x0504, big-endian: principal =
/// name type, count, realm, components; credential = client, server, keyblock, four times, is_skey, flags, addresses,
/// authdata, ticket, second ticket), so MIT's own klist and kvno can list and use them: the independent check that
/// the library decrypted the right session keys and got real tickets.
/// </summary>
internal static class MitCredentialCache
{
    public static void Write(string path, KerberosTicketGrant ticketGrantingTicket, params KerberosTicketGrant[] serviceTickets)
    {
        using var stream = new MemoryStream();
        WriteUInt16(stream, 0x0504);
        WriteUInt16(stream, 0); // no header fields
        WritePrincipal(stream, ticketGrantingTicket.ClientName, ticketGrantingTicket.ClientRealm);
        foreach (KerberosTicketGrant grant in new[] { ticketGrantingTicket }.Concat(serviceTickets))
        {
            WritePrincipal(stream, grant.ClientName, grant.ClientRealm);
            WritePrincipal(stream, grant.Ticket.ServerName, grant.Ticket.Realm);
            WriteUInt16(stream, (ushort)grant.SessionKey.EncryptionType);
            WriteData(stream, grant.SessionKey.Value);
            uint now = (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            WriteUInt32(stream, now); // authtime
            WriteUInt32(stream, now); // starttime
            WriteUInt32(stream, (uint)grant.EndTime.ToUnixTimeSeconds());
            WriteUInt32(stream, 0); // renew_till
            stream.WriteByte(0); // is_skey
            WriteUInt32(stream, 0); // ticket flags
            WriteUInt32(stream, 0); // addresses
            WriteUInt32(stream, 0); // authdata
            WriteData(stream, grant.Ticket.Encoded);
            WriteData(stream, []);
        }

        File.WriteAllBytes(path, stream.ToArray());
    }

    private static void WritePrincipal(Stream stream, KerberosPrincipalName name, string realm)
    {
        WriteUInt32(stream, (uint)name.NameType);
        WriteUInt32(stream, (uint)name.Components.Count);
        WriteData(stream, Encoding.UTF8.GetBytes(realm));
        foreach (string component in name.Components)
        {
            WriteData(stream, Encoding.UTF8.GetBytes(component));
        }
    }

    private static void WriteData(Stream stream, ReadOnlySpan<byte> data)
    {
        WriteUInt32(stream, (uint)data.Length);
        stream.Write(data);
    }

    private static void WriteUInt16(Stream stream, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }
}
