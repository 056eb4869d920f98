using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Net;
using System.Net.Sockets;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Kdc;

namespace PasswordHashSync.UnitTests.Replication.Kerberos;

/// <summary>
/// A KDC that has no AES key for the account (KDC_ERR_ETYPE_NOSUPP, or PREAUTH_REQUIRED announcing only RC4) while RC4
/// is not allowed: the client probes once, unauthenticated and offering AES and RC4, and refuses with the weak-only error
/// (code 14, not "Kerberos unavailable"); a KDC that has nothing at all in common stays KDC_ERR_ETYPE_NOSUPP. A scripted
/// KDC on the loopback records what each AS-REQ offered.
/// </summary>
public class KdcWeakOnlyProbeTests
{
    private const string Password = "Not-A-Real-Pa55-77aa";

    private static byte[] Rc4Announced => KerberosTestMessages.KrbError(25, KerberosTestMessages.EtypeInfo2(23, [], [0, 0, 0x10, 0]));

    [Fact]
    public async Task ETYPE_NOSUPP_then_RC4_offered_is_the_weak_only_refusal_after_one_unauthenticated_probe()
    {
        (KerberosException e, List<Request> requests) = await SignInAsync(allowRc4: false, KerberosTestMessages.KrbError(14, null), Rc4Announced);
        Assert.Equal(14, e.ErrorCode);
        Assert.Equal(KerberosFailure.WeakEncryptionOnly, e.Failure);
        Assert.False(e.IsKerberosUnavailable);
        Assert.Contains("RC4-HMAC (etype 23)", e.Message, StringComparison.Ordinal);
        Assert.Contains("pwsync --allow-rc4", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal);

        Assert.Equal(2, requests.Count);
        Assert.DoesNotContain(23, requests[0].Etypes);
        Assert.Equal([20, 19, 18, 17, 23], requests[1].Etypes);
        Assert.All(requests, r => Assert.DoesNotContain(2, r.PreauthTypes)); // no PA-ENC-TIMESTAMP: nothing encrypted with the key
    }

    [Fact]
    public async Task PREAUTH_REQUIRED_announcing_only_RC4_is_probed_and_refused_the_same_way()
    {
        (KerberosException e, List<Request> requests) = await SignInAsync(allowRc4: false, Rc4Announced, Rc4Announced);
        Assert.Equal(KerberosFailure.WeakEncryptionOnly, e.Failure);
        Assert.Equal(2, requests.Count);
        Assert.Contains(23, requests[1].Etypes);
    }

    [Fact]
    public async Task A_KDC_that_refuses_RC4_too_is_no_common_encryption_type()
    {
        (KerberosException e, List<Request> requests) = await SignInAsync(allowRc4: false, KerberosTestMessages.KrbError(14, null), KerberosTestMessages.KrbError(14, null));
        Assert.Equal(14, e.ErrorCode);
        Assert.Equal(KerberosFailure.KdcRefused, e.Failure);
        Assert.Contains("KDC_ERR_ETYPE_NOSUPP", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public async Task With_RC4_allowed_there_is_no_probe_and_the_client_pre_authenticates_with_the_RC4_key()
    {
        // The scripted KDC refuses the timestamp; what matters is that the second request is the pre-authenticated one
        // offering AES and RC4, with PA-ENC-TIMESTAMP encrypted as etype 23.
        (KerberosException e, List<Request> requests) = await SignInAsync(allowRc4: true, Rc4Announced, KerberosTestMessages.KrbError(24, null));
        Assert.Equal(24, e.ErrorCode);
        Assert.Equal(2, requests.Count);
        Assert.Contains(23, requests[0].Etypes);
        Assert.Contains(18, requests[0].Etypes);
        Assert.Contains(2, requests[1].PreauthTypes);
        Assert.Equal(23, requests[1].TimestampEtype);
    }

    private sealed record Request(int[] Etypes, int[] PreauthTypes, int? TimestampEtype);

    private static async Task<(KerberosException Error, List<Request> Requests)> SignInAsync(bool allowRc4, params byte[][] replies)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var requests = new List<Request>();
        Task server = ServeAsync(listener, replies, requests);
        var client = new KdcClient(new KdcEndpoint("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port), TimeSpan.FromSeconds(20), allowRc4);
        using var keys = new PasswordClientKeys(Password);
        KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => client.GetTicketGrantingTicketAsync("agent", "CONTOSO.TEST", keys, default));
        await server;
        return (e, requests);
    }

    private static async Task ServeAsync(TcpListener listener, byte[][] replies, List<Request> requests)
    {
        foreach (byte[] reply in replies)
        {
            using Socket socket = await listener.AcceptSocketAsync();
            byte[] header = new byte[4];
            await ReceiveExactlyAsync(socket, header);
            byte[] request = new byte[BinaryPrimitives.ReadInt32BigEndian(header)];
            await ReceiveExactlyAsync(socket, request);
            requests.Add(Parse(request));
            byte[] framed = new byte[4 + reply.Length];
            BinaryPrimitives.WriteInt32BigEndian(framed, reply.Length);
            reply.CopyTo(framed, 4);
            await socket.SendAsync(framed, SocketFlags.None);
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        int received = 0;
        while (received < buffer.Length)
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None);
            Assert.True(read > 0, "the client closed the connection early");
            received += read;
        }
    }

    // AS-REQ (RFC 4120 5.4.1): [APPLICATION 10] KDC-REQ { pvno [1], msg-type [2], padata [3] SEQUENCE OF PA-DATA, req-body [4] { ... etype [8] } }.
    private static Request Parse(byte[] message)
    {
        AsnReader request = new AsnReader(message, AsnEncodingRules.DER).ReadSequence(KerberosAsn1.Application(10)).ReadSequence();
        var preauth = new List<int>();
        int? timestampEtype = null;
        int[] etypes = [];
        while (request.HasData)
        {
            Asn1Tag tag = request.PeekTag();
            AsnReader field = request.ReadSequence(tag);
            if (tag.TagValue == 3)
            {
                AsnReader list = field.ReadSequence();
                while (list.HasData)
                {
                    AsnReader pa = list.ReadSequence();
                    int type = KerberosAsn1.ReadInt32(pa, 1);
                    byte[] value = KerberosAsn1.ReadOctets(pa, 2);
                    preauth.Add(type);
                    if (type == 2)
                    {
                        timestampEtype = KerberosAsn1.ReadInt32(new AsnReader(value, AsnEncodingRules.DER).ReadSequence(), 0);
                    }
                }
            }
            else if (tag.TagValue == 4)
            {
                AsnReader body = field.ReadSequence();
                while (body.HasData)
                {
                    Asn1Tag bodyTag = body.PeekTag();
                    AsnReader bodyField = body.ReadSequence(bodyTag);
                    if (bodyTag.TagValue == 8)
                    {
                        AsnReader list = bodyField.ReadSequence();
                        var types = new List<int>();
                        while (list.HasData)
                        {
                            Assert.True(list.TryReadInt32(out int etype));
                            types.Add(etype);
                        }

                        etypes = [.. types];
                    }
                }
            }
        }

        return new Request(etypes, [.. preauth], timestampEtype);
    }
}
