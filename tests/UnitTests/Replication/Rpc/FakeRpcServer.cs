using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Replication.Rpc;

/// <summary>
/// A scripted DCE/RPC server on its own loopback address for one connection: it answers the bind, takes the auth3,
/// and then runs the test's script, which can split replies into fragments, send wrong call_ids, truncate, oversize or stall.
/// </summary>
internal sealed class FakeRpcServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Task _run;

    public FakeRpcServer(Func<FakeRpcSession, Task> script, Func<RpcBindPdu, uint, byte[]>? bindReply = null)
    {
        _listener = new TcpListener(LoopbackAddress.Allocate(), 0);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _run = Task.Run(async () =>
        {
            using TcpClient client = await _listener.AcceptTcpClientAsync();
            await using var session = new FakeRpcSession(client.GetStream());
            byte[] bind = await session.ReadFragmentAsync();
            RpcBindPdu parsed = RpcBindPdu.Read(bind, out _);
            uint callId = RpcPduHeader.Read(bind).CallId;
            if (bindReply is not null)
            {
                await session.SendAsync(bindReply(parsed, callId));
                await script(session);
                return;
            }

            var ack = new RpcBindAckPdu(5840, (ushort)Math.Min((int)parsed.MaxReceiveFragment, 5840), 0x99, "49999",
                [new RpcBindResult(RpcBindResultCode.Acceptance, 0, RpcSyntaxId.Ndr20)]);
            await session.SendAsync(ack.ToFragment(RpcPacketType.BindAck, callId, new RpcSecurityTrailer(10, 6, 0, RpcConnection.AuthContextId), [0x42]));
            byte[] auth3 = await session.ReadFragmentAsync();
            Assert.Equal(RpcPacketType.Auth3, RpcPduHeader.Read(auth3).PacketType);
            await script(session);
        });
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Waits for the script; a failed assertion in it fails the test.</summary>
    public Task Completion => _run;

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client closed first; the script's own assertions already ran.
        }

        _listener.Dispose();
    }
}

/// <summary>One server-side connection with the server half of the sealing.</summary>
internal sealed class FakeRpcSession(NetworkStream stream) : IAsyncDisposable
{
    public NtlmSessionSecurity Security { get; } = SealingPairContext.ServerHalf();

    public async Task<byte[]> ReadFragmentAsync()
    {
        byte[] header = new byte[16];
        await stream.ReadExactlyAsync(header);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
        byte[] fragment = new byte[length];
        header.CopyTo(fragment, 0);
        await stream.ReadExactlyAsync(fragment.AsMemory(16));
        return fragment;
    }

    public async Task SendAsync(byte[] data)
    {
        await stream.WriteAsync(data);
        await stream.FlushAsync();
    }

    /// <summary>Reads a whole request, verifying and unsealing every fragment and its flag order.</summary>
    public async Task<(uint CallId, ushort Opnum, byte[] Stub, int Fragments)> ReadRequestAsync()
    {
        var stub = new List<byte>();
        int fragments = 0;
        while (true)
        {
            byte[] fragment = await ReadFragmentAsync();
            RpcPduHeader header = RpcPduHeader.Read(fragment);
            RpcRequestPdu request = RpcRequestPdu.Read(fragment, header);
            Assert.Equal(fragments == 0, header.Flags.HasFlag(RpcPacketFlags.FirstFragment));
            Assert.True(header.FragmentLength <= 5840);
            RpcSecurityTrailer trailer = RpcSecurityTrailer.Read(fragment, header, 8, out int trailerOffset);
            Assert.Equal(0, (trailerOffset - 24) % 16);
            Security.Unseal(fragment.AsSpan(0, fragment.Length - 16), 24..trailerOffset, fragment.AsSpan(fragment.Length - 16));
            stub.AddRange(fragment.AsSpan(24, trailerOffset - 24 - trailer.AuthPadLength).ToArray());
            fragments++;
            if (header.Flags.HasFlag(RpcPacketFlags.LastFragment))
            {
                return (header.CallId, request.Opnum, [.. stub], fragments);
            }
        }
    }

    /// <summary>Builds one sealed response fragment (the auth pad brings stub + pad to 16).</summary>
    public byte[] SealedResponse(uint callId, ReadOnlySpan<byte> stub, RpcPacketFlags flags, uint allocHint = 0)
    {
        int pad = (16 - (stub.Length % 16)) % 16;
        int length = 24 + stub.Length + pad + 8 + 16;
        byte[] fragment = new byte[length];
        new RpcResponsePdu(allocHint, 0, 0, 0, null).WriteHeader(fragment, new RpcPduHeader(RpcPacketType.Response, flags, (ushort)length, 16, callId));
        stub.CopyTo(fragment.AsSpan(24));
        new RpcSecurityTrailer(10, 6, (byte)pad, RpcConnection.AuthContextId).Write(fragment.AsSpan(24 + stub.Length + pad));
        Security.Seal(fragment.AsSpan(0, length - 16), 24..(24 + stub.Length + pad), fragment.AsSpan(length - 16));
        return fragment;
    }

    /// <summary>Sends <paramref name="stub"/> as a reply cut into fragments of the given stub sizes (cycled).</summary>
    public async Task SendResponseAsync(uint callId, byte[] stub, params int[] fragmentSizes)
    {
        int offset = 0;
        int index = 0;
        do
        {
            int size = Math.Min(fragmentSizes[index++ % fragmentSizes.Length], stub.Length - offset);
            RpcPacketFlags flags = (offset == 0 ? RpcPacketFlags.FirstFragment : 0) | (offset + size == stub.Length ? RpcPacketFlags.LastFragment : 0);
            await SendAsync(SealedResponse(callId, stub.AsSpan(offset, size), flags, uint.MaxValue));
            offset += size;
        }
        while (offset < stub.Length);
    }

    public ValueTask DisposeAsync()
    {
        Security.Dispose();
        return stream.DisposeAsync();
    }
}
