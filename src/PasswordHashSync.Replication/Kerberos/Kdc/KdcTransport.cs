using System.Buffers.Binary;
using System.Globalization;
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
    /// <exception cref="KerberosException">
    /// The KDC cannot be reached, did not answer within <paramref name="timeout"/> (inner <see cref="TimeoutException"/>),
    /// closed the connection, or sent a malformed length.
    /// </exception>
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
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            string reason = string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds:0.#} s");
            throw Unreachable(kdc.ToString(), reason, new TimeoutException($"The KDC {kdc} did not answer within {timeout.TotalSeconds:0.#} s.", e));
        }
        catch (SocketException e)
        {
            throw Unreachable(kdc.ToString(), Describe(e), e);
        }
    }

    /// <summary>The exception for a KDC that cannot be reached: Kerberos is unavailable, so negotiate may use NTLM.</summary>
    /// <param name="kdc">The KDC as host:port.</param>
    /// <param name="reason">What happened, in a few words.</param>
    /// <param name="inner">The underlying error.</param>
    internal static KerberosException Unreachable(string kdc, string reason, Exception? inner = null)
    {
        string message = $"The KDC {kdc} could not be reached ({reason}).";
        return inner is null
            ? new KerberosException(message) { IsKerberosUnavailable = true, Failure = KerberosFailure.KdcUnreachable, Kdc = kdc, UnreachableReason = reason }
            : new KerberosException(message, inner) { IsKerberosUnavailable = true, Failure = KerberosFailure.KdcUnreachable, Kdc = kdc, UnreachableReason = reason };
    }

    /// <summary>A socket error in the words of an administrator.</summary>
    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused: nothing listens on that port",
        SocketError.TimedOut => "the connection timed out",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the name does not resolve",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown => "the host is unreachable",
        SocketError.ConnectionReset or SocketError.ConnectionAborted => "the connection was reset",
        _ => "socket error " + e.SocketErrorCode.ToString(),
    };

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
                throw Unreachable(kdc, "it closed the connection without a reply");
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
