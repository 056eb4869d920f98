using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication.Rpc;

/// <summary>
/// RpcConnection against a scripted loopback server: request fragmentation and per-fragment sealing, reassembly of
/// replies split into many fragments, and every bad reply (wrong call_id, bad flags, truncation, oversize, stall,
/// tampering, faults, bind refusals) ending in its documented exception.
/// </summary>
public sealed class RpcConnectionFakeServerTests
{
    private static readonly RpcConnectionOptions s_options = new() { ConnectTimeout = TimeSpan.FromSeconds(20), CallTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task LargeRequestAndReply_AreFragmentedSealedAndReassembled_OverSeveralCalls()
    {
        byte[] request = Bytes(20_000, 1);
        byte[] reply = Bytes(50_001, 2);
        int requestFragments = 0;
        await using var server = new FakeRpcServer(async session =>
        {
            for (int call = 0; call < 3; call++)
            {
                (uint callId, ushort opnum, byte[] stub, int fragments) = await session.ReadRequestAsync();
                Assert.Equal((ushort)3, opnum);
                Assert.Equal(request, stub);
                requestFragments = fragments;
                await session.SendResponseAsync(callId, reply, 1, 15, 16, 17, 4000, 5792, 333);
            }
        });

        SealingPairContext context = new();
        await using (RpcConnection connection = await RpcConnection.ConnectAsync(server.EndPoint, RpcSyntaxId.Drsuapi, context, s_options, default))
        {
            for (int call = 0; call < 3; call++)
            {
                using RpcResponseStub response = await connection.CallAsync(3, request, default);
                Assert.Equal(reply, response.Memory.ToArray());
            }
        }

        await server.Completion;
        Assert.Equal(4, requestFragments); // 20 000 bytes at 5792 per 5840-byte fragment
        Assert.True(context.Disposed, "the connection owns and disposes the security context");
    }

    [Fact]
    public async Task A_server_max_recv_frag_below_the_clients_fragments_requests_to_the_servers_size()
    {
        // A DC may accept less than the 5840 bytes offered (C706 12.6.3.1: max_recv_frag in the bind_ack bounds what the
        // client sends; 1432 is the minimum every implementation must take). 5000 bytes then need four fragments of at
        // most 1432 bytes: (1432 - 24 header - 8 sec_trailer - 16 signature) rounded down to 16 = 1376 stub bytes each.
        byte[] request = Bytes(5000, 21);
        byte[] reply = Bytes(3000, 22);
        int requestFragments = 0;
        var trailer = new RpcSecurityTrailer(10, 6, 0, RpcConnection.AuthContextId);
        await using var server = new FakeRpcServer(
            async session =>
            {
                Assert.Equal(RpcPacketType.Auth3, RpcPduHeader.Read(await session.ReadFragmentAsync()).PacketType);
                (uint callId, _, byte[] stub, int fragments) = await session.ReadRequestAsync();
                Assert.Equal(request, stub);
                requestFragments = fragments;
                await session.SendResponseAsync(callId, reply, 1000, 1000, 1000);
            },
            (_, callId) => new RpcBindAckPdu(4280, 1432, 3, "49999", [new RpcBindResult(RpcBindResultCode.Acceptance, 0, RpcSyntaxId.Ndr20)])
                .ToFragment(RpcPacketType.BindAck, callId, trailer, [0x42]));

        await using (RpcConnection connection = await Connect(server))
        {
            Assert.Equal(1432, connection.MaxTransmitFragment);
            using RpcResponseStub response = await connection.CallAsync(3, request, default);
            Assert.Equal(reply, response.Memory.ToArray());
        }

        await server.Completion;
        Assert.Equal(4, requestFragments);
    }

    [Fact]
    public async Task EmptyStubs_TravelInOneFragment()
    {
        await using var server = new FakeRpcServer(async session =>
        {
            (uint callId, _, byte[] stub, int fragments) = await session.ReadRequestAsync();
            Assert.Empty(stub);
            Assert.Equal(1, fragments);
            await session.SendResponseAsync(callId, [], 100);
        });
        await using RpcConnection connection = await Connect(server);
        using RpcResponseStub response = await connection.CallAsync(0, ReadOnlyMemory<byte>.Empty, default);
        Assert.Equal(0, response.Memory.Length);
    }

    [Fact]
    public async Task WrongCallId_IsAProtocolError_AndTheConnectionIsThenUnusable()
    {
        await using var server = new FakeRpcServer(async session =>
        {
            (uint callId, _, _, _) = await session.ReadRequestAsync();
            await session.SendResponseAsync(callId + 1, Bytes(10, 3), 10);
        });
        await using RpcConnection connection = await Connect(server);
        RpcProtocolException error = await Assert.ThrowsAsync<RpcProtocolException>(() => Call(connection));
        Assert.Contains("call_id", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Call(connection));
    }

    [Theory]
    [InlineData(false, 0)] // a middle fragment without a first one
    [InlineData(true, 1)]  // two first fragments
    public async Task FragmentFlagsOutOfOrder_AreAProtocolError(bool startWithFirst, int extraFirst)
    {
        await using var server = new FakeRpcServer(async session =>
        {
            (uint callId, _, _, _) = await session.ReadRequestAsync();
            await session.SendAsync(session.SealedResponse(callId, Bytes(16, 4), startWithFirst ? RpcPacketFlags.FirstFragment : RpcPacketFlags.None));
            if (extraFirst > 0)
            {
                await session.SendAsync(session.SealedResponse(callId, Bytes(16, 5), RpcPacketFlags.FirstAndLast));
            }
        });
        await using RpcConnection connection = await Connect(server);
        await Assert.ThrowsAsync<RpcProtocolException>(() => Call(connection));
    }

    [Fact]
    public async Task TruncatedFragment_IsAConnectionError()
    {
        await using var server = new FakeRpcServer(async session =>
        {
            (uint callId, _, _, _) = await session.ReadRequestAsync();
            byte[] fragment = session.SealedResponse(callId, Bytes(100, 6), RpcPacketFlags.FirstAndLast);
            await session.SendAsync(fragment[..60]);
        });
        await using RpcConnection connection = await Connect(server);
        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(() => Call(connection));
        Assert.Contains("middle of a PDU", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FragmentLargerThanOfferedMaxRecv_IsRefusedBeforeReadingIt()
    {
        await using var server = new FakeRpcServer(async session =>
        {
            (uint callId, _, _, _) = await session.ReadRequestAsync();
            byte[] header = new byte[16];
            new RpcPduHeader(RpcPacketType.Response, RpcPacketFlags.FirstAndLast, 60_000, 16, callId).Write(header);
            await session.SendAsync(header);
        });
        await using RpcConnection connection = await Connect(server);
        RpcProtocolException error = await Assert.ThrowsAsync<RpcProtocolException>(() => Call(connection));
        Assert.Contains("max_recv_frag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplyLargerThanTheConfiguredLimit_IsRefused()
    {
        await using var server = new FakeRpcServer(async session =>
        {
            (uint callId, _, _, _) = await session.ReadRequestAsync();
            await session.SendResponseAsync(callId, Bytes(200_000, 7), 5792);
        });
        await using RpcConnection connection = await Connect(server, new RpcConnectionOptions { MaxResponseSize = 64 * 1024 });
        RpcProtocolException error = await Assert.ThrowsAsync<RpcProtocolException>(() => Call(connection));
        Assert.Contains("MaxResponseSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StallingServer_TimesOut_AndTheConnectionIsThenUnusable()
    {
        using var release = new SemaphoreSlim(0);
        await using var server = new FakeRpcServer(async session =>
        {
            _ = await session.ReadRequestAsync();
            await release.WaitAsync(TimeSpan.FromSeconds(30));
        });
        await using RpcConnection connection = await Connect(server, new RpcConnectionOptions { CallTimeout = TimeSpan.FromMilliseconds(300) });
        await Assert.ThrowsAsync<TimeoutException>(() => Call(connection));
        release.Release();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Call(connection));
    }

    [Fact]
    public async Task Cancellation_IsHonoured_AndTheConnectionIsThenUnusable()
    {
        using var release = new SemaphoreSlim(0);
        await using var server = new FakeRpcServer(async session =>
        {
            _ = await session.ReadRequestAsync();
            await release.WaitAsync(TimeSpan.FromSeconds(30));
        });
        await using RpcConnection connection = await Connect(server);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => (await connection.CallAsync(1, Bytes(10, 8), cancel.Token)).Dispose());
        release.Release();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Call(connection));
    }

    [Fact]
    public async Task TamperedReplyFragment_FailsVerification()
    {
        await using var server = new FakeRpcServer(async session =>
        {
            (uint callId, _, _, _) = await session.ReadRequestAsync();
            byte[] fragment = session.SealedResponse(callId, Bytes(64, 9), RpcPacketFlags.FirstAndLast);
            fragment[30] ^= 0x80;
            await session.SendAsync(fragment);
        });
        await using RpcConnection connection = await Connect(server);
        await Assert.ThrowsAsync<RpcSecurityException>(() => Call(connection));
    }

    [Fact]
    public async Task Fault_IsAnRpcFaultException_AndTheConnectionStaysUsable()
    {
        await using var server = new FakeRpcServer(async session =>
        {
            (uint callId, _, _, _) = await session.ReadRequestAsync();
            await session.SendAsync(new RpcFaultPdu(0, RpcFaultStatus.OperationRangeError).ToFragment(callId));
            (callId, _, _, _) = await session.ReadRequestAsync();
            await session.SendAsync(new RpcFaultPdu(0, RpcFaultStatus.AccessDenied).ToFragment(callId));
            (callId, _, _, _) = await session.ReadRequestAsync();
            await session.SendResponseAsync(callId, Bytes(5, 10), 5);
        });
        await using RpcConnection connection = await Connect(server);

        // The first call after auth3 faulting with op_rng_error is not an authentication problem.
        RpcFaultException fault = await Assert.ThrowsAsync<RpcFaultException>(() => Call(connection));
        Assert.Equal(RpcFaultStatus.OperationRangeError, fault.Status);
        Assert.Contains("nca_s_op_rng_error", fault.Message, StringComparison.Ordinal);

        // Access denied before any call succeeded means the authentication was refused.
        RpcAuthenticationException refused = await Assert.ThrowsAsync<RpcAuthenticationException>(() => Call(connection));
        Assert.Contains("0x00000005", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Call(connection));
    }

    [Fact]
    public async Task ServerClosingOnTheFirstCall_IsAnAuthenticationError()
    {
        await using var server = new FakeRpcServer(async session => _ = await session.ReadRequestAsync());
        await using RpcConnection connection = await Connect(server);
        RpcAuthenticationException error = await Assert.ThrowsAsync<RpcAuthenticationException>(() => Call(connection));
        Assert.True(error.IsBindRefusal); // a Kerberos credential signs in again for it once
    }

    [Theory]
    [InlineData(8, typeof(RpcAuthenticationException))]
    [InlineData(4, typeof(RpcProtocolException))]
    public async Task BindNak_IsMappedToAClearException(ushort reason, Type expected)
    {
        await using var server = new FakeRpcServer(_ => Task.CompletedTask, (_, callId) => new RpcBindNakPdu(reason).ToFragment(callId));
        SealingPairContext context = new();
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => RpcConnection.ConnectAsync(server.EndPoint, RpcSyntaxId.Drsuapi, context, s_options, default));
        Assert.IsType(expected, error);
        Assert.Contains("bind_nak", error.Message, StringComparison.Ordinal);
        Assert.True(Assert.IsAssignableFrom<ReplicationException>(error).IsBindRefusal);
        Assert.True(context.Disposed);
    }

    [Fact]
    public async Task RejectedInterface_IsAProtocolErrorNamingIt()
    {
        await using var server = new FakeRpcServer(_ => Task.CompletedTask, (_, callId) =>
            new RpcBindAckPdu(5840, 5840, 1, "", [new RpcBindResult(RpcBindResultCode.ProviderRejection, 1, default)])
                .ToFragment(RpcPacketType.BindAck, callId, null, []));
        RpcProtocolException error = await Assert.ThrowsAsync<RpcProtocolException>(
            () => RpcConnection.ConnectAsync(server.EndPoint, RpcSyntaxId.Drsuapi, new SealingPairContext(), s_options, default));
        Assert.Contains("abstract syntax not supported", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsBindRefusal); // not an authentication matter: no new sign-in
    }

    [Fact]
    public async Task BindAckWithoutToken_IsAnAuthenticationError()
    {
        await using var server = new FakeRpcServer(_ => Task.CompletedTask, (_, callId) =>
            new RpcBindAckPdu(5840, 5840, 1, "1", [new RpcBindResult(RpcBindResultCode.Acceptance, 0, RpcSyntaxId.Ndr20)])
                .ToFragment(RpcPacketType.BindAck, callId, null, []));
        await Assert.ThrowsAsync<RpcAuthenticationException>(
            () => RpcConnection.ConnectAsync(server.EndPoint, RpcSyntaxId.Drsuapi, new SealingPairContext(), s_options, default));
    }

    [Fact]
    public async Task AlterContextLeg_IsSentAndItsAnswerProcessed_ThenCallsWork()
    {
        RpcBindAckPdu Ack(string address) => new(5840, 5840, 7, address, [new RpcBindResult(RpcBindResultCode.Acceptance, 0, RpcSyntaxId.Ndr20)]);
        var trailer = new RpcSecurityTrailer(10, 6, 0, RpcConnection.AuthContextId);
        await using var server = new FakeRpcServer(
            async session =>
            {
                byte[] alter = await session.ReadFragmentAsync();
                RpcPduHeader header = RpcPduHeader.Read(alter);
                Assert.Equal(RpcPacketType.AlterContext, header.PacketType);
                RpcBindPdu parsed = RpcBindPdu.Read(alter, out byte[] token);
                Assert.Equal(RpcSyntaxId.Drsuapi, parsed.Contexts.Single().AbstractSyntax);
                Assert.Equal([0x04, 0x05], token);
                await session.SendAsync(Ack("").ToFragment(RpcPacketType.AlterContextResponse, header.CallId, trailer, [0x09]));
                (uint callId, _, byte[] stub, _) = await session.ReadRequestAsync();
                await session.SendResponseAsync(callId, stub, 7);
            },
            (_, callId) => Ack("49999").ToFragment(RpcPacketType.BindAck, callId, trailer, [0x42]));

        var context = new SealingPairContext(useAlterContext: true);
        await using RpcConnection connection = await RpcConnection.ConnectAsync(server.EndPoint, RpcSyntaxId.Drsuapi, context, s_options, default);
        using RpcResponseStub echo = await connection.CallAsync(2, Bytes(40, 11), default);

        Assert.Equal(Bytes(40, 11), echo.Memory.ToArray());
        Assert.Equal([[0x42], [0x09]], context.ServerTokens);
    }

    [Fact]
    public async Task ClosedPort_IsAConnectionError()
    {
        var address = PasswordHashSync.TestSupport.LoopbackAddress.Allocate(1);
        await Assert.ThrowsAsync<RpcConnectionException>(
            () => RpcConnection.ConnectAsync(new System.Net.IPEndPoint(address, 1), RpcSyntaxId.Drsuapi, new SealingPairContext(), s_options, default));
    }

    private static Task<RpcConnection> Connect(FakeRpcServer server, RpcConnectionOptions? options = null) =>
        RpcConnection.ConnectAsync(server.EndPoint, RpcSyntaxId.Drsuapi, new SealingPairContext(), options ?? s_options, default);

    private static async Task Call(RpcConnection connection) => (await connection.CallAsync(1, Bytes(10, 8), default)).Dispose();

    private static byte[] Bytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
