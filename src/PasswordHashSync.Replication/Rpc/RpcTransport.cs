using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// The ncacn_ip_tcp byte stream: connects, sends whole fragments and reads exactly one fragment at a time (the 16-byte
/// header first, then the frag_length it announces, refused when larger than the negotiated receive size). Socket
/// errors and an early end of stream become <see cref="RpcConnectionException"/>.
/// </summary>
internal sealed class RpcTransport : IDisposable
{
    private readonly Socket _socket;
    private readonly string _peer;

    private RpcTransport(Socket socket, string peer)
    {
        _socket = socket;
        _peer = peer;
    }

    /// <summary>Opens the TCP connection.</summary>
    /// <param name="endPoint">An <see cref="IPEndPoint"/> or <see cref="DnsEndPoint"/>.</param>
    /// <param name="cancellationToken">Cancels (or times out) the connect.</param>
    /// <returns>The transport.</returns>
    /// <exception cref="RpcConnectionException">The server cannot be reached.</exception>
    public static async Task<RpcTransport> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        Socket socket = endPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        string peer = endPoint.ToString() ?? "the server";
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new RpcTransport(socket, peer);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new RpcConnectionException($"Could not connect to {peer}: {e.SocketErrorCode} ({e.Message}). Check the host name, that the port is open and that a firewall allows it.", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends bytes.</summary>
    /// <param name="data">One or more whole fragments.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            while (!data.IsEmpty)
            {
                int sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                data = data[sent..];
            }
        }
        catch (SocketException e)
        {
            throw new RpcConnectionException($"The connection to {_peer} failed while sending: {e.SocketErrorCode}.", e);
        }
    }

    /// <summary>Reads one whole fragment into <paramref name="buffer"/>.</summary>
    /// <param name="buffer">At least <paramref name="maxFragment"/> bytes.</param>
    /// <param name="maxFragment">The largest frag_length accepted (the max_recv_frag this client offered).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The fragment's header; the fragment is <c>buffer[..FragmentLength]</c>.</returns>
    /// <exception cref="RpcConnectionException">The connection closed or failed.</exception>
    /// <exception cref="RpcProtocolException">The header is invalid or the fragment exceeds <paramref name="maxFragment"/>.</exception>
    public async ValueTask<RpcPduHeader> ReceiveFragmentAsync(Memory<byte> buffer, int maxFragment, CancellationToken cancellationToken)
    {
        await ReceiveExactlyAsync(buffer[..RpcPduHeader.Length], atStart: true, cancellationToken).ConfigureAwait(false);
        RpcPduHeader header = RpcPduHeader.Read(buffer.Span);
        if (header.FragmentLength > maxFragment)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"The server sent a {header.FragmentLength}-byte fragment, larger than the {maxFragment} bytes this client offered as max_recv_frag."));
        }

        await ReceiveExactlyAsync(buffer[RpcPduHeader.Length..header.FragmentLength], atStart: false, cancellationToken).ConfigureAwait(false);
        return header;
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();

    private async ValueTask ReceiveExactlyAsync(Memory<byte> destination, bool atStart, CancellationToken cancellationToken)
    {
        int received = 0;
        try
        {
            while (received < destination.Length)
            {
                int n = await _socket.ReceiveAsync(destination[received..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new RpcConnectionException(atStart && received == 0
                        ? $"{_peer} closed the connection."
                        : $"{_peer} closed the connection in the middle of a PDU.");
                }

                received += n;
            }
        }
        catch (SocketException e)
        {
            throw new RpcConnectionException($"The connection to {_peer} failed while receiving: {e.SocketErrorCode}.", e);
        }
    }
}
