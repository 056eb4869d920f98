using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// The transport and NTLM against a real Samba AD DC: ept_map finds DRSUAPI, the bind authenticates with NTLMv2 at
/// packet privacy, IDL_DRSBind through <see cref="DrsuapiClient"/> gets a reply that unseals and verifies, a
/// CrackNames call whose request and reply span many fragments is sealed, unsealed and reassembled, and a wrong
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

    [Fact]
    public async Task NtlmBindAtPrivacy_DrsBindReplyUnsealsAndVerifies()
    {
        int port = await EndpointMapper.MapTcpPortAsync(dc.Host, RpcSyntaxId.Drsuapi, s_options, default);
        using var credential = new NtlmCredential("Administrator", SambaRpcDc.NetBiosDomain, dc.AdministratorPassword);
        IRpcSecurityContext context = await credential.CreateSecurityContextAsync(new RpcSecurityTarget(dc.Host, SambaRpcDc.Realm), default);

        await using RpcConnection connection = await RpcConnection.ConnectAsync(dc.Host, port, RpcSyntaxId.Drsuapi, context, s_options, default);
        var drsuapi = new DrsuapiClient(connection);
        DrsExtensions server = await drsuapi.BindAsync(default);

        Assert.NotEqual(0u, server.Flags & DrsExtensions.Base);
        Assert.False(drsuapi.Handle.IsEmpty);
        Assert.Equal(16, connection.SessionKey.Length);
        NtlmSecurityContext ntlm = Assert.IsType<NtlmSecurityContext>(context);
        Assert.True(ntlm.SentMic, "Samba sends MsvAvTimestamp, so the AUTHENTICATE carried a MIC that Samba verified");
        Assert.True(ntlm.NegotiatedFlags.HasFlag(NtlmNegotiateFlags.KeyExchange | NtlmNegotiateFlags.Key128 | NtlmNegotiateFlags.Seal));

        // The connection stays usable: further calls on the same RC4 streams and sequence numbers verify too.
        CrackedName cracked = await drsuapi.CrackNameAsync(DsNameFormat.Nt4Account, DsNameFormat.Fqdn1779, SambaRpcDc.NetBiosDomain + "\\Administrator", default);
        Assert.Equal((DsNameStatus.Ok, "CN=Administrator,CN=Users,DC=rpc,DC=example,DC=test"), (cracked.Status, cracked.Name));
        await drsuapi.UnbindAsync(default);
    }

    [Fact]
    public async Task ManyFragmentRequestAndReply_AreSealedAndUnsealedFragmentByFragmentAndReassembled()
    {
        int port = await EndpointMapper.MapTcpPortAsync(dc.Host, RpcSyntaxId.Drsuapi, s_options, default);
        using var credential = new NtlmCredential("Administrator", SambaRpcDc.NetBiosDomain, dc.AdministratorPassword);
        await using RpcConnection connection = await RpcConnection.ConnectAsync(
            dc.Host, port, RpcSyntaxId.Drsuapi, credential, new RpcSecurityTarget(dc.Host, SambaRpcDc.Realm), s_options, default);
        var drsuapi = new DrsuapiClient(connection);
        await drsuapi.BindAsync(default);

        // 500 names: the request takes several fragments and Samba's reply (one DN per name) many more.
        (int requestLength, int replyLength, CrackedName[] results, int result) =
            await ManyNamesCrackProbe.CrackAsync(connection, drsuapi.Handle, SambaRpcDc.NetBiosDomain + "\\Administrator", 500);

        Assert.True(requestLength > 3 * connection.MaxTransmitFragment, $"the request of {requestLength} bytes should span several fragments");
        Assert.True(replyLength > 5 * connection.MaxTransmitFragment, $"the reply of {replyLength} bytes should span many fragments");
        Assert.Equal(0, result);
        Assert.Equal(500, results.Length);
        Assert.All(results, r => Assert.Equal((DsNameStatus.Ok, "CN=Administrator,CN=Users,DC=rpc,DC=example,DC=test"), (r.Status, r.Name)));
    }

    [Theory]
    [InlineData("Administrator", "wrong-password")]
    [InlineData("no.such.user", "whatever")]
    public async Task RefusedCredentials_AreAnAuthenticationErrorNamingTheFault(string user, string password)
    {
        int port = await EndpointMapper.MapTcpPortAsync(dc.Host, RpcSyntaxId.Drsuapi, s_options, default);
        using var credential = new NtlmCredential(user, SambaRpcDc.NetBiosDomain, password);

        // Samba accepts the bind and the auth3 (it does not answer auth3), then faults the first request.
        await using RpcConnection connection = await RpcConnection.ConnectAsync(
            dc.Host, port, RpcSyntaxId.Drsuapi, credential, new RpcSecurityTarget(dc.Host, SambaRpcDc.Realm), s_options, default);
        var drsuapi = new DrsuapiClient(connection);
        RpcAuthenticationException error = await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await drsuapi.BindAsync(default));

        RpcFaultException fault = Assert.IsType<RpcFaultException>(error.InnerException);
        Assert.Equal(RpcFaultStatus.ProtocolError, fault.Status);
        Assert.Contains("0x1C01000B", error.Message, StringComparison.Ordinal);
        Assert.Contains("password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await drsuapi.BindAsync(default));
    }
}
