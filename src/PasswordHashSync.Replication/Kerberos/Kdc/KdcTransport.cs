using System.Buffers.Binary;
using System.Net.Sockets;

namespace PasswordHashSync.Replication.Kerberos.Kdc;

/// <summary>
/// One request and reply with a KDC over TCP (RFC 4120 7.2.2): each message is preceded by its length as a 4-byte
/// big-endian integer whose high bit is reserved (0). A fresh connection per exchange, with a deadline.
/// </summary>
internal static class KdcTransport
{
    /// <summary>The largest reply accepted (a TGS-REP with a large PAC stays well under it).</summary>
    public const int MaxReplyLength = 1 << 20;

    private const int InitialBuffer = 16 * 1024;

    /// <summary>Sends <paramref name="request"/> and returns the reply message.</summary>
    /// <exception cref="KerberosException">The KDC cannot be reached, closed the connection, or sent a malformed length.</exception>
    /// <exception cref="TimeoutException">No whole reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<byte[]> ExchangeAsync(KdcEndpoint kdc, byte[] request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(kdc.Host, kdc.Port, deadline.Token).ConfigureAwait(false);
            byte[] framed = new byte[4 + request.Length];
            BinaryPrimitives.WriteInt32BigEndian(framed, request.Length);
            request.CopyTo(framed, 4);
            await socket.SendAsync(framed, SocketFlags.None, deadline.Token).ConfigureAwait(false);

            return await ReadReplyAsync((buffer, token) => socket.ReceiveAsync(buffer, SocketFlags.None, token), kdc.ToString(), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The KDC {kdc} did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (SocketException e)
        {
            throw new KerberosException($"The KDC {kdc} could not be reached ({e.SocketErrorCode}).", e) { IsKerberosUnavailable = true };
        }
    }

    /// <summary>
    /// Reads one framed reply through <paramref name="receive"/> (a socket's receive: fills part of the buffer, 0 at
    /// the end of the stream): the 4-byte big-endian length, then exactly that many bytes.
    /// </summary>
    /// <remarks>
    /// The length is checked before anything is allocated for the body (0, above <see cref="MaxReplyLength"/>, or the
    /// reserved high bit set are refused), and the body buffer then grows only as bytes arrive, doubling from
    /// 16 KiB: a KDC that announces 1 MiB and sends 10 bytes costs the client 16 KiB, not 1 MiB.
    /// </remarks>
    /// <exception cref="KerberosException">The length is out of range, or the stream ends before the whole reply.</exception>
    internal static async ValueTask<byte[]> ReadReplyAsync(Func<Memory<byte>, CancellationToken, ValueTask<int>> receive, string kdc, CancellationToken cancellationToken)
    {
        byte[] header = new byte[4];
        int headerReceived = 0;
        while (headerReceived < header.Length)
        {
            int read = await receive(header.AsMemory(headerReceived), cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                throw new KerberosException($"The KDC {kdc} closed the connection without a reply.") { IsKerberosUnavailable = true };
            }

            headerReceived += read;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length is 0 or > MaxReplyLength)
        {
            throw new KerberosException($"The KDC {kdc} sent a reply length of {length} bytes (at most {MaxReplyLength} accepted; the high bit is reserved).");
        }

        byte[] reply = new byte[Math.Min((int)length, InitialBuffer)];
        int received = 0;
        while (received < length)
        {
            if (received == reply.Length)
            {
                Array.Resize(ref reply, (int)Math.Min(length, (uint)reply.Length * 2));
            }

            int read = await receive(reply.AsMemory(received), cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                throw new KerberosException($"The KDC {kdc} closed the connection in the middle of its reply.");
            }

            received += read;
        }

        return reply;
    }
}
