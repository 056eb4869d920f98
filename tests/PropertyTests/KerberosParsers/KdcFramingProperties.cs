using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using FsCheck.Xunit;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Kdc;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.PropertyTests.KerberosParsers;

/// <summary>
/// Rule: the RFC 4120 7.2.2 TCP framing of KDC replies returns exactly the announced body or throws
/// <see cref="KerberosException"/>, and a hostile length (up to 2^32 - 1, the reserved high bit, 0) allocates no more
/// than the bytes the KDC really sent: the framing reader over a byte stream delivered in random chunk sizes
/// (100 seeds × <see cref="KerberosFuzz.InputsPerSeed"/>), then the socket path against a hostile listener.
/// </summary>
public class KdcFramingProperties
{
    private static readonly uint[] s_lengths = [0, 1, 100, 0x3FFF, 0x4000, 0x4001, 0xFFFFF, 0x100000, 0x100001, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    [Property(MaxTest = 100)]
    public void Framed_replies_give_the_body_or_KerberosException_and_allocate_only_what_arrived(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            // A length (extreme, or near the body actually sent), then a body shorter, equal or longer than announced.
            int sent = random.Next(3) == 0 ? random.Next(0, 40_000) : random.Next(0, 600);
            uint announced = random.Next(3) switch
            {
                0 => s_lengths[random.Next(s_lengths.Length)],
                1 => (uint)Math.Max(0, sent + random.Next(-3, 4)),
                _ => (uint)sent,
            };
            byte[] stream = new byte[Math.Min(4 + sent, random.Next(8) == 0 ? random.Next(0, 5) : int.MaxValue)];
            random.NextBytes(stream);
            if (stream.Length >= 4)
            {
                BinaryPrimitives.WriteUInt32BigEndian(stream, announced);
            }

            int offset = 0;
            int chunk = random.Next(1, 3000);
            ValueTask<int> Receive(Memory<byte> buffer, CancellationToken token)
            {
                int n = Math.Min(Math.Min(buffer.Length, chunk), stream.Length - offset);
                stream.AsSpan(offset, n).CopyTo(buffer.Span);
                offset += n;
                return ValueTask.FromResult(n);
            }

            KerberosFuzz.Only<KerberosException>(stream.Length, () =>
            {
                offset = 0;
                ValueTask<byte[]> pending = KdcTransport.ReadReplyAsync(Receive, "kdc.test:88", CancellationToken.None);
                Assert.True(pending.IsCompleted); // the delegate never waits: the read completes on this thread
                byte[] reply = pending.Result;
                Assert.True(announced is > 0 and <= KdcTransport.MaxReplyLength && stream.Length >= 4 + announced);
                Assert.Equal(stream.AsSpan(4, (int)announced).ToArray(), reply);
            });
        }
    }

    [Theory]
    [InlineData(0x7FFFFFFFu, 0)]
    [InlineData(0x80000000u, 0)]
    [InlineData(0xFFFFFFFFu, 0)]
    [InlineData(0u, 0)]
    [InlineData(0x100000u, 10)] // the largest accepted length, then only 10 bytes and the connection closes
    [InlineData(100u, 99)]
    public async Task A_hostile_kdc_length_over_tcp_is_a_KerberosException(uint length, int bodyBytes)
    {
        IPAddress address = LoopbackAddress.Allocate();
        using var listener = new TcpListener(address, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task server = Task.Run(async () =>
        {
            using Socket client = await listener.AcceptSocketAsync();
            byte[] request = new byte[4096];
            _ = await client.ReceiveAsync(request, SocketFlags.None);
            byte[] reply = new byte[4 + bodyBytes];
            BinaryPrimitives.WriteUInt32BigEndian(reply, length);
            await client.SendAsync(reply, SocketFlags.None);
            client.Shutdown(SocketShutdown.Both);
        });

        var kdc = new KdcEndpoint(address.ToString(), port);
        KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => KdcTransport.ExchangeAsync(kdc, [1, 2, 3], TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Contains(kdc.ToString(), e.Message, StringComparison.Ordinal);
        await server;
    }

    [Fact]
    public async Task A_kdc_that_announces_a_reply_and_stalls_is_a_TimeoutException_not_a_hang()
    {
        IPAddress address = LoopbackAddress.Allocate();
        using var listener = new TcpListener(address, 0);
        listener.Start();
        using var release = new ManualResetEventSlim();
        Task server = Task.Run(async () =>
        {
            using Socket client = await listener.AcceptSocketAsync();
            byte[] header = new byte[4 + 5];
            BinaryPrimitives.WriteUInt32BigEndian(header, 1000);
            await client.SendAsync(header, SocketFlags.None);
            release.Wait(TimeSpan.FromSeconds(30));
        });

        var kdc = new KdcEndpoint(address.ToString(), ((IPEndPoint)listener.LocalEndpoint).Port);
        KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => KdcTransport.ExchangeAsync(kdc, [1, 2, 3], TimeSpan.FromMilliseconds(500), CancellationToken.None));
        Assert.IsType<TimeoutException>(e.InnerException);
        Assert.True(e.IsKerberosUnavailable);
        Assert.Equal(KerberosFailure.KdcUnreachable, e.Failure);
        release.Set();
        await server;
    }
}
