using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// The transport and NTLM against a real Samba AD DC: ept_map finds DRSUAPI, the bind authenticates with NTLMv2 at
/// packet privacy, IDL_DRSBind (in one fragment and in several) gets a reply that unseals and verifies, and a wrong
/// password or unknown user is an <see cref="RpcAuthenticationException"/> (Samba answers the first request after
/// the failed auth3 with fault nca_s_proto_error 0x1C01000B).
/// </summary>
public sealed class SambaNtlmRpcTests(SambaRpcDc dc) : IClassFixture<SambaRpcDc>
{
    private static readonly RpcConnectionOptions s_options = new() { ConnectTimeout = TimeSpan.FromSeconds(30), CallTimeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task EptMap_FindsTheDrsuapiTcpPort()
    {
        int port = await EndpointMapper.MapTcpPortAsync(dc.Host, RpcSyntaxId.Drsuapi, s_options, default);

        Assert.InRange(port, 1024, 65535);
        Assert.False(PasswordHashSync.TestSupport.LoopbackAddress.IsFree(dc.Address, port), "nothing listens on the mapped port");
    }

    [Theory]
    [InlineData(48)]
    [InlineData(9000)] // DRS_EXTENSIONS allows cb up to 10000: the request takes two 5840-byte fragments, each sealed on its own.
    public async Task NtlmBindAtPrivacy_DrsBindReplyUnsealsAndVerifies(int extensionsLength)
    {
        int port = await EndpointMapper.MapTcpPortAsync(dc.Host, RpcSyntaxId.Drsuapi, s_options, default);
        using var credential = new NtlmCredential("Administrator", SambaRpcDc.NetBiosDomain, dc.AdministratorPassword);
        IRpcSecurityContext context = await credential.CreateSecurityContextAsync(new RpcSecurityTarget(dc.Host, SambaRpcDc.Realm), default);

        await using RpcConnection connection = await RpcConnection.ConnectAsync(dc.Host, port, RpcSyntaxId.Drsuapi, context, s_options, default);
        byte[] request = DrsBindStub.Build(extensionsLength);
        Assert.Equal(extensionsLength > 48, request.Length + 24 + 8 + 16 > connection.MaxTransmitFragment);
        using RpcResponseStub reply = await connection.CallAsync(DrsBindStub.Opnum, request, default);

        (uint serverFlags, Guid handle, uint result) = DrsBindStub.Parse(reply.Memory.Span);
        Assert.Equal(0u, result);
        Assert.NotEqual(0u, serverFlags & 0x1); // DRS_EXT_BASE
        Assert.NotEqual(Guid.Empty, handle);
        Assert.Equal(16, connection.SessionKey.Length);
        NtlmSecurityContext ntlm = Assert.IsType<NtlmSecurityContext>(context);
        Assert.True(ntlm.SentMic, "Samba sends MsvAvTimestamp, so the AUTHENTICATE carried a MIC that Samba verified");
        Assert.True(ntlm.NegotiatedFlags.HasFlag(NtlmNegotiateFlags.KeyExchange | NtlmNegotiateFlags.Key128 | NtlmNegotiateFlags.Seal));

        // The connection stays usable: a second call on the same RC4 streams and sequence numbers verifies too.
        using RpcResponseStub second = await connection.CallAsync(DrsBindStub.Opnum, DrsBindStub.Build(48), default);
        Assert.Equal(0u, DrsBindStub.Parse(second.Memory.Span).Result);
    }

    [Theory]
    [InlineData("Administrator", "wrong-password")]
    [InlineData("no.such.user", "whatever")]
    public async Task RefusedCredentials_AreAnAuthenticationErrorNamingTheFault(string user, string password)
    {
        int port = await EndpointMapper.MapTcpPortAsync(dc.Host, RpcSyntaxId.Drsuapi, s_options, default);
        using var credential = new NtlmCredential(user, SambaRpcDc.NetBiosDomain, password);
        IRpcSecurityContext context = await credential.CreateSecurityContextAsync(new RpcSecurityTarget(dc.Host, SambaRpcDc.Realm), default);

        // Samba accepts the bind and the auth3 (it does not answer auth3), then faults the first request.
        await using RpcConnection connection = await RpcConnection.ConnectAsync(dc.Host, port, RpcSyntaxId.Drsuapi, context, s_options, default);
        RpcAuthenticationException error = await Assert.ThrowsAsync<RpcAuthenticationException>(
            async () => (await connection.CallAsync(DrsBindStub.Opnum, DrsBindStub.Build(48), default)).Dispose());

        RpcFaultException fault = Assert.IsType<RpcFaultException>(error.InnerException);
        Assert.Equal(RpcFaultStatus.ProtocolError, fault.Status);
        Assert.Contains("0x1C01000B", error.Message, StringComparison.Ordinal);
        Assert.Contains("password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => (await connection.CallAsync(0, DrsBindStub.Build(48), default)).Dispose());
    }
}
