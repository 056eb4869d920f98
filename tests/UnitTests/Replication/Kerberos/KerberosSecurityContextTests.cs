using System.Buffers.Binary;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Crypto;
using PasswordHashSync.Replication.Kerberos.Gss;
using PasswordHashSync.Replication.Kerberos.Kdc;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication.Kerberos;

/// <summary>
/// The DCE-style context against a server whose AP-REP carries no subkey (RFC 4120 5.5.2 makes it optional): the
/// initiator subkey then protects the PDUs and is the session key (MS-KILE 3.1.1.2), and the wrap tokens must not set
/// the AcceptorSubkey flag (RFC 4121 4.2.2), or an acceptor that checks the flag refuses every request.
/// </summary>
public class KerberosSecurityContextTests
{
    private const int Aes256 = 18;

    [Fact]
    public void Without_an_acceptor_subkey_the_tokens_use_the_initiator_subkey_and_do_not_claim_the_acceptor_one()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero).AddTicks(1234560));
        byte[] ticketKey = new byte[32];
        Random.Shared.NextBytes(ticketKey);
        var ticket = new KerberosTicket(KerberosTestMessages.Ticket(), "EXAMPLE.COM", KerberosPrincipalName.Service("ldap", "dc.example.com"), Aes256);
        var grant = new KerberosTicketGrant("EXAMPLE.COM", KerberosPrincipalName.User("agent"), ticket, new EncryptionKey(Aes256, ticketKey), clock.GetUtcNow().AddHours(10));
        using var context = new KerberosSecurityContext(grant, allowRc4: false, clock);
        _ = context.GetInitialToken();

        // The server's AP-REP as the DCE-style third leg is built: the authenticator's time echoed, no subkey.
        using var serverKey = new EncryptionKey(Aes256, ticketKey);
        RpcAuthStep step = context.ProcessServerToken(ApReply.Encode(serverKey, clock.GetUtcNow(), 4242, allowRc4: false));
        Assert.Equal(RpcAuthLeg.Auth3, step.Leg);
        Assert.True(context.IsComplete);
        Assert.Equal(32, context.SessionKey.Length);
        Assert.False(context.SessionKey.SequenceEqual(ticketKey));

        // stub (16) | sec_trailer (8) | auth_value
        byte[] stub = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];
        byte[] pdu = new byte[16 + 8 + context.SignatureLength];
        stub.CopyTo(pdu, 0);
        context.Seal(pdu, 0, 16);
        byte[] authValue = pdu[^context.SignatureLength..];
        Assert.Equal(CfxWrapToken.Sealed, authValue[2]);

        // The acceptor opens it with the initiator subkey and the initiator-seal usage.
        ulong sequence = BinaryPrimitives.ReadUInt64BigEndian(authValue.AsSpan(8));
        byte[] data = pdu[..16];
        CfxWrapToken.Unseal(KerberosCiphers.Get(Aes256, allowRc4: false), context.SessionKey, KerberosKeyUsage.InitiatorSeal, CfxWrapToken.Sealed, sequence, data, authValue);
        Assert.Equal(stub, data);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
