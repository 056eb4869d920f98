using System.Net;
using System.Net.Sockets;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication.Kerberos;

namespace PasswordHashSync.UnitTests.Replication.Kerberos;

/// <summary>
/// A keytab credential reads its keytab when it is made and again before every later sign-in (AS exchange), not
/// before the first (the keys were just read) and not per connection: so a rotated keytab is used without a restart.
/// The KDC here is a closed loopback port, so each sign-in fails at once after the read it makes.
/// </summary>
public sealed class KeytabRereadTests
{
    [Fact]
    public async Task The_keytab_is_read_at_creation_and_again_before_each_later_sign_in()
    {
        using KerberosKey aes = KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, "pw", "EXAMPLE.COMagent"u8.ToArray());
        byte[] keytab = KeytabWriter.ToBytes([KeytabEntry.ForPrincipal("agent@EXAMPLE.COM", aes, 1, DateTimeOffset.UnixEpoch)]);
        int reads = 0;
        var handedOut = new List<byte[]>();
        using KerberosCredential credential = KerberosCredential.FromKeytab(
            () =>
            {
                reads++;
                byte[] copy = keytab.ToArray();
                handedOut.Add(copy);
                return copy;
            },
            "agent",
            "example.com",
            "127.0.0.1:" + ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        credential.KdcTimeout = TimeSpan.FromSeconds(10);
        Assert.Equal(1, reads);
        Assert.All(handedOut, b => Assert.All(b, x => Assert.Equal(0, x))); // zeroed once parsed

        await Assert.ThrowsAnyAsync<Exception>(() => credential.GetTicketGrantingTicketAsync(default));
        Assert.Equal(1, reads); // the first sign-in uses the keys just read
        await Assert.ThrowsAnyAsync<Exception>(() => credential.GetTicketGrantingTicketAsync(default));
        Assert.Equal(2, reads);
        await Assert.ThrowsAnyAsync<Exception>(() => credential.GetTicketGrantingTicketAsync(default));
        Assert.Equal(3, reads);
        Assert.Equal("EXAMPLE.COM", credential.Domain);
    }

    [Fact]
    public async Task A_keytab_that_cannot_be_read_again_is_a_Kerberos_refusal_not_unavailability()
    {
        using KerberosKey aes = KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, "pw", "EXAMPLE.COMagent"u8.ToArray());
        byte[] keytab = KeytabWriter.ToBytes([KeytabEntry.ForPrincipal("agent@EXAMPLE.COM", aes, 1, DateTimeOffset.UnixEpoch)]);
        bool broken = false;
        using KerberosCredential credential = KerberosCredential.FromKeytab(
            () => broken ? throw new IOException("the file is gone") : keytab.ToArray(), "agent", "EXAMPLE.COM", "127.0.0.1:" + ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        credential.KdcTimeout = TimeSpan.FromSeconds(10);
        await Assert.ThrowsAnyAsync<Exception>(() => credential.GetTicketGrantingTicketAsync(default));

        broken = true;
        KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => credential.GetTicketGrantingTicketAsync(default));

        Assert.Equal("Cannot sign in again as agent@EXAMPLE.COM: the keytab could not be read again: the file is gone", e.Message);
        Assert.False(e.IsKerberosUnavailable);
        Assert.IsType<IOException>(e.InnerException);
    }

    // A loopback port nothing listens on: bound, then released.
    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
