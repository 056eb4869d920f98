using PasswordHashSync.Replication.Kerberos.Asn1;

namespace PasswordHashSync.Replication.Kerberos.Kdc;

/// <summary>A ticket with its session key and lifetime, as a KDC reply granted it. Dispose to zero the session key.</summary>
internal sealed class KerberosTicketGrant : IDisposable
{
    /// <summary>Creates the grant; ownership of <paramref name="sessionKey"/> passes to it.</summary>
    public KerberosTicketGrant(string clientRealm, KerberosPrincipalName clientName, KerberosTicket ticket, EncryptionKey sessionKey, DateTimeOffset endTime)
    {
        ClientRealm = clientRealm;
        ClientName = clientName;
        Ticket = ticket;
        SessionKey = sessionKey;
        EndTime = endTime;
    }

    /// <summary>The client's realm as the KDC named it.</summary>
    public string ClientRealm { get; }

    /// <summary>The client's name as the KDC named it (canonicalized).</summary>
    public KerberosPrincipalName ClientName { get; }

    /// <summary>The ticket.</summary>
    public KerberosTicket Ticket { get; }

    /// <summary>The session key shared with the ticket's service.</summary>
    public EncryptionKey SessionKey { get; }

    /// <summary>When the ticket expires.</summary>
    public DateTimeOffset EndTime { get; }

    /// <summary>Whether the ticket is still valid for at least <paramref name="margin"/> after <paramref name="now"/>.</summary>
    public bool IsValidFor(TimeSpan margin, DateTimeOffset now) => EndTime - now > margin;

    /// <inheritdoc />
    public void Dispose() => SessionKey.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"{Ticket} for {ClientName}@{ClientRealm} until {EndTime:u}";
}
