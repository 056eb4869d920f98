using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>What a <see cref="ReplyFault"/> does to the reply it hits.</summary>
internal enum ReplyFaultKind
{
    /// <summary>Forward the first <see cref="ReplyFault.AtByte"/> bytes of the reply, then reset both connections (RST).</summary>
    Cut,

    /// <summary>Flip the bits of <see cref="ReplyFault.XorMask"/> in the reply's byte at <see cref="ReplyFault.AtByte"/>.</summary>
    Corrupt,

    /// <summary>Hold the reply back for <see cref="ReplyFault.Delay"/> before forwarding it.</summary>
    Delay,

    /// <summary>
    /// Hold the client's PDU the reply answers (a bind, say) for <see cref="ReplyFault.Delay"/> before forwarding it:
    /// the DC sees it that much later than the client sent it, as over a slow network.
    /// </summary>
    HoldRequest,
}

/// <summary>
/// One fault, fired once: on the <paramref name="Occurrence"/>-th reply (1-based, counted from when it is armed, over
/// every connection) to a request with <paramref name="Opnum"/> (IDL_DRSGetNCChanges is 3), or to any PDU the server
/// answers (bind, alter_context, any request) when <paramref name="Opnum"/> is <see langword="null"/>.
/// </summary>
/// <param name="Kind">What happens.</param>
/// <param name="Opnum">The request's operation number, or <see langword="null"/> for any reply.</param>
/// <param name="Occurrence">Which matching reply.</param>
/// <param name="AtByte">The byte offset into that reply (all its PDUs) where a cut or corruption happens.</param>
/// <param name="Delay">How long a delay holds the reply.</param>
/// <param name="XorMask">The bits a corruption flips.</param>
/// <param name="Fired">Called when the fault hits its reply (before a held request is forwarded), or <see langword="null"/>.</param>
internal sealed record ReplyFault(ReplyFaultKind Kind, int? Opnum, int Occurrence, long AtByte, TimeSpan Delay = default, byte XorMask = 0xFF, Action? Fired = null);

/// <summary>
/// A loopback TCP proxy between the replication client and the DC's DRSUAPI port that cuts, delays or corrupts the DC's
/// replies. It follows the client's DCE/RPC PDUs (C706 12.6: 16-byte common header, frag_length at offset 8; a
/// request's opnum at offset 22) to know which request a reply answers; the server's bytes it only counts and forwards.
/// </summary>
internal sealed class FaultInjectingProxy : IAsyncDisposable
{
    private const byte RequestType = 0;
    private const byte FirstFragment = 0x01;
    private const byte LastFragment = 0x02;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private readonly object _sync = new();
    private ReplyFault? _armed;
    private int _seen;

    private readonly bool _raw;

    private FaultInjectingProxy(IPEndPoint upstream, IPAddress? address, bool raw)
    {
        _upstream = upstream;
        _raw = raw;
        Address = address ?? LoopbackAddress.Allocate();
        _listener = new TcpListener(Address, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's own loopback address.</summary>
    public IPAddress Address { get; }

    /// <summary>The proxy's port (give it to the client as DrsReplicationOptions.Port).</summary>
    public int Port { get; }

    /// <summary>How many client connections the proxy accepted.</summary>
    public int Connections { get; private set; }

    /// <summary>How many faults hit a reply (a cut or corruption beyond the reply's end hits it without effect).</summary>
    public int FaultsFired { get; private set; }

    /// <summary>How many connections a cut actually reset.</summary>
    public int Cuts { get; private set; }

    /// <summary>Starts a proxy to <paramref name="upstream"/>.</summary>
    /// <param name="upstream">The DC's DRSUAPI endpoint.</param>
    /// <returns>The running proxy.</returns>
    public static FaultInjectingProxy Start(IPEndPoint upstream) => new(upstream, null, raw: false);

    /// <summary>
    /// Starts a plain forwarder (no PDU parsing, no faults) to <paramref name="upstream"/> on <paramref name="address"/>,
    /// for another protocol the client reaches at the same address (LDAP for the DC's rootDSE).
    /// </summary>
    /// <param name="upstream">The server.</param>
    /// <param name="address">The address to listen on (a port is picked).</param>
    /// <returns>The running forwarder.</returns>
    public static FaultInjectingProxy StartForwarder(IPEndPoint upstream, IPAddress address) => new(upstream, address, raw: true);

    /// <summary>Arms a fault (replacing one not yet fired).</summary>
    /// <param name="fault">The fault.</param>
    public void Arm(ReplyFault fault)
    {
        lock (_sync)
        {
            _armed = fault;
            _seen = 0;
        }
    }

    /// <summary>Disarms a fault that has not fired.</summary>
    public void Disarm()
    {
        lock (_sync)
        {
            _armed = null;
        }
    }

    /// <summary>Whether an armed fault is still waiting for its reply.</summary>
    public bool IsArmed
    {
        get
        {
            lock (_sync)
            {
                return _armed is not null;
            }
        }
    }

    /// <summary>Stops listening and closes every connection.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sync)
        {
            _sockets.ForEach(s => s.Dispose());
        }

        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client = await _listener.AcceptSocketAsync(_stop.Token);
            var server = new Socket(_upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            lock (_sync)
            {
                Connections++;
                _sockets.Add(client);
                _sockets.Add(server);
            }

            _ = RelayAsync(client, server);
        }
    }

    private async Task RelayAsync(Socket client, Socket server)
    {
        var connection = new ConnectionState();
        try
        {
            await server.ConnectAsync(_upstream, _stop.Token);
            Task up = ClientToServerAsync(client, server, connection);
            Task down = ServerToClientAsync(server, client, connection);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // A closed side ends the relay; the other side is reset below.
        }
        finally
        {
            Reset(client);
            Reset(server);
        }
    }

    // Forwards the client's bytes unchanged, parsing PDU boundaries so the reply that follows a complete request is
    // attributed to its opnum (the server answers only once the last fragment arrived).
    private async Task ClientToServerAsync(Socket client, Socket server, ConnectionState connection)
    {
        var header = new byte[16 + 8];
        var buffer = new byte[64 * 1024];
        while (_raw)
        {
            int n = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            if (n == 0)
            {
                return;
            }

            await server.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
        }

        while (true)
        {
            // The common header and, for a request, the 8 bytes up to the opnum.
            if (!await ReadExactlyAsync(client, header.AsMemory(0, 16)))
            {
                return;
            }

            int fragmentLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
            byte type = header[2];
            byte flags = header[3];
            int read = 16;
            if (type == RequestType && fragmentLength >= 24)
            {
                if (!await ReadExactlyAsync(client, header.AsMemory(16, 8)))
                {
                    return;
                }

                read = 24;
                if ((flags & FirstFragment) != 0)
                {
                    connection.PendingOpnum = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(22));
                }
            }

            // A PDU the server answers starts a new reply: decide now (before the server can answer) whether it is hit.
            bool answered = type switch { RequestType => (flags & LastFragment) != 0, 11 or 14 => true, _ => false };
            ReplyFault? hit = answered ? StartReply(connection, type == RequestType ? connection.PendingOpnum : null) : null;
            hit?.Fired?.Invoke();
            if (hit is { Kind: ReplyFaultKind.HoldRequest })
            {
                await Task.Delay(hit.Delay, _stop.Token);
            }

            await server.SendAsync(header.AsMemory(0, read), SocketFlags.None, _stop.Token);
            int remaining = fragmentLength - read;
            while (remaining > 0)
            {
                int n = await client.ReceiveAsync(buffer.AsMemory(0, Math.Min(remaining, buffer.Length)), SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                await server.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
                remaining -= n;
            }
        }
    }

    private ReplyFault? StartReply(ConnectionState connection, int? opnum)
    {
        lock (_sync)
        {
            connection.ReplyBytes = 0;
            connection.Fault = null;
            if (_armed is { } fault && (fault.Opnum is null || fault.Opnum == opnum) && ++_seen == fault.Occurrence)
            {
                connection.Fault = fault;
                _armed = null;
                FaultsFired++;
            }

            return connection.Fault;
        }
    }

    private async Task ServerToClientAsync(Socket server, Socket client, ConnectionState connection)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n = await server.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            if (n == 0)
            {
                return;
            }

            ReplyFault? fault;
            long offset;
            lock (_sync)
            {
                fault = connection.Fault;
                offset = connection.ReplyBytes;
                connection.ReplyBytes += n;
            }

            switch (fault)
            {
                case { Kind: ReplyFaultKind.Delay } when offset == 0:
                    await Task.Delay(fault.Delay, _stop.Token);
                    break;
                case { Kind: ReplyFaultKind.Corrupt } when fault.AtByte >= offset && fault.AtByte < offset + n:
                    buffer[fault.AtByte - offset] ^= fault.XorMask;
                    break;
                case { Kind: ReplyFaultKind.Cut } when fault.AtByte < offset + n:
                    lock (_sync)
                    {
                        Cuts++;
                    }

                    int keep = (int)Math.Max(0, fault.AtByte - offset);
                    if (keep > 0)
                    {
                        await client.SendAsync(buffer.AsMemory(0, keep), SocketFlags.None, _stop.Token);
                    }

                    return; // The relay resets both sides.
            }

            await client.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
        }
    }

    private async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> target)
    {
        int total = 0;
        while (total < target.Length)
        {
            int n = await socket.ReceiveAsync(target[total..], SocketFlags.None, _stop.Token);
            if (n == 0)
            {
                return false;
            }

            total += n;
        }

        return true;
    }

    private static void Reset(Socket socket)
    {
        try
        {
            // Linger 0: close sends RST, what a DC or a middlebox resetting the connection looks like to the client.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private sealed class ConnectionState
    {
        public int? PendingOpnum { get; set; }

        public long ReplyBytes { get; set; }

        public ReplyFault? Fault { get; set; }
    }
}
