using System.Text.Json.Nodes;
using PasswordHashSync.Replication.Rpc;
using static PasswordHashSync.UnitTests.Replication.Rpc.SambaNdrOracle;

namespace PasswordHashSync.UnitTests.Replication.Rpc;

/// <summary>
/// The PDU writers produce exactly the bytes Samba's NDR encoder (<c>ndr_pack</c> of <c>samba.dcerpc.dcerpc.ncacn_packet</c>)
/// produces for the same fields, and the readers parse what Samba packs.
/// </summary>
public sealed class SambaPduEncoderTests
{
    private static readonly byte[] s_token = Convert.FromHexString("4e544c4d5353500001000000358288e2280000000000280000000000280000000a007c4f0000000f");

    [Theory]
    [InlineData("bind", true)]
    [InlineData("bind", false)]
    [InlineData("alter", true)]
    public void BindWriter_MatchesSamba(string kind, bool authenticated)
    {
        var bind = new RpcBindPdu(5840, 4280, 0x1234, [new RpcContextElement(0, RpcSyntaxId.Drsuapi, RpcSyntaxId.Ndr20)]);
        byte[] ours = new byte[RpcBindPdu.GetLength(1, authenticated ? s_token.Length : 0)];
        RpcPacketType type = kind == "bind" ? RpcPacketType.Bind : RpcPacketType.AlterContext;
        _ = bind.Write(ours, type, 7, authenticated ? new RpcSecurityTrailer(10, 6, 0, 1) : null, authenticated ? s_token : []);

        var spec = new JsonObject
        {
            ["kind"] = kind, ["call_id"] = 7, ["max_xmit"] = 5840, ["max_recv"] = 4280, ["assoc_group"] = 0x1234, ["context_id"] = 0,
            ["abstract"] = Syntax(Drsuapi, 4), ["transfer"] = Syntax(Ndr, 2),
        };
        if (authenticated)
        {
            spec["auth"] = Auth(10, 6, 0, 1, s_token);
        }

        Assert.Equal(Convert.ToHexString(Pack(spec)[0]), Convert.ToHexString(ours));

        // And the reader parses Samba's bytes back.
        RpcBindPdu parsed = RpcBindPdu.Read(Pack(spec)[0], out byte[] auth);
        Assert.Equal(bind.Contexts, parsed.Contexts);
        Assert.Equal(authenticated ? s_token : [], auth);
    }

    [Fact]
    public void Auth3AndSecTrailerWriters_MatchSamba()
    {
        byte[] ours = new byte[RpcAuth3Pdu.GetLength(s_token.Length)];
        _ = RpcAuth3Pdu.Write(ours, 9, new RpcSecurityTrailer(10, 6, 0, 79231), s_token);
        byte[] trailer = new byte[8 + 3];
        new RpcSecurityTrailer(16, 6, 12, 0xDEADBEEF).Write(trailer);
        new byte[] { 1, 2, 3 }.CopyTo(trailer, 8);

        IReadOnlyList<byte[]> samba = Pack(
            new JsonObject { ["kind"] = "auth3", ["call_id"] = 9, ["auth"] = Auth(10, 6, 0, 79231, s_token) },
            new JsonObject { ["kind"] = "sec_trailer", ["auth"] = Auth(16, 6, 12, 0xDEADBEEF, [1, 2, 3]) });

        Assert.Equal(Convert.ToHexString(samba[0]), Convert.ToHexString(ours));
        Assert.Equal(Convert.ToHexString(samba[1]), Convert.ToHexString(trailer));
        Assert.Equal(s_token, RpcAuth3Pdu.Read(samba[0], out RpcSecurityTrailer parsed));
        Assert.Equal(79231u, parsed.AuthContextId);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(100, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(16, true)]
    [InlineData(100, true)]
    [InlineData(5000, true)] // several fragments of a 1432-byte maximum
    public void RequestFragments_MatchSamba(int stubLength, bool authenticated)
    {
        byte[] stub = Enumerable.Range(0, stubLength).Select(i => (byte)(i * 7)).ToArray();
        var security = authenticated ? new FixedSignatureContext(16) : null;
        int maxFragment = 1432;
        int capacity = RpcRequestFragmenter.GetStubCapacity(maxFragment, security?.SignatureLength ?? -1);
        var ours = new List<byte[]>();
        var specs = new List<JsonObject>();
        int offset = 0;
        do
        {
            byte[] buffer = new byte[maxFragment];
            int start = offset;
            int length = RpcRequestFragmenter.WriteFragment(buffer, stub, offset, capacity, 42, 12, security, 1, out offset);
            ours.Add(buffer[..length]);
            int chunk = offset - start;
            int pad = authenticated ? (16 - (chunk % 16)) % 16 : 0;
            var spec = new JsonObject
            {
                ["kind"] = "request", ["call_id"] = 42, ["alloc_hint"] = stubLength - start, ["context_id"] = 0, ["opnum"] = 12,
                ["flags"] = (start == 0 ? 1 : 0) | (offset == stubLength ? 2 : 0), ["stub"] = Convert.ToHexString(stub, start, chunk),
            };
            if (authenticated)
            {
                spec["auth"] = Auth(10, 6, pad, 1, security!.Signature);
            }

            specs.Add(spec);
        }
        while (offset < stubLength);

        IReadOnlyList<byte[]> samba = Pack([.. specs]);
        Assert.Equal(samba.Select(Convert.ToHexString), ours.Select(Convert.ToHexString));
        Assert.Equal(stubLength > capacity, ours.Count > 1);
    }

    [Theory]
    [InlineData("bind_ack", "49153", true)]
    [InlineData("alter_resp", "", true)]
    [InlineData("bind_ack", "135", false)]
    public void BindAckReader_ParsesSamba(string kind, string secondaryAddress, bool authenticated)
    {
        var spec = new JsonObject
        {
            ["kind"] = kind, ["call_id"] = 5, ["max_xmit"] = 5840, ["max_recv"] = 4280, ["assoc_group"] = 0x5678, ["secondary_address"] = secondaryAddress,
            ["results"] = new JsonArray(
                new JsonObject { ["result"] = 0, ["reason"] = 0, ["syntax"] = Syntax(Ndr, 2) },
                new JsonObject { ["result"] = 2, ["reason"] = 2, ["syntax"] = Syntax("00000000-0000-0000-0000-000000000000", 0) }),
        };
        if (authenticated)
        {
            spec["auth"] = Auth(10, 6, 0, 1, s_token);
        }

        byte[] samba = Pack(spec)[0];
        RpcBindAckPdu ack = RpcBindAckPdu.Read(samba, out byte[] token, out RpcSecurityTrailer? trailer);

        Assert.Equal((ushort)5840, ack.MaxTransmitFragment);
        Assert.Equal((ushort)4280, ack.MaxReceiveFragment);
        Assert.Equal(0x5678u, ack.AssociationGroupId);
        Assert.Equal(secondaryAddress, ack.SecondaryAddress);
        Assert.Equal([new RpcBindResult(RpcBindResultCode.Acceptance, 0, RpcSyntaxId.Ndr20), new RpcBindResult(RpcBindResultCode.ProviderRejection, 2, default)], ack.Results);
        Assert.Equal(authenticated ? s_token : [], token);
        Assert.Equal(authenticated ? new RpcSecurityTrailer(10, 6, 0, 1) : null, trailer);

        // Our writer (the fake server's) produces Samba's bytes too.
        RpcPacketType type = kind == "bind_ack" ? RpcPacketType.BindAck : RpcPacketType.AlterContextResponse;
        Assert.Equal(Convert.ToHexString(samba), Convert.ToHexString(ack.ToFragment(type, 5, trailer, token)));
    }

    [Fact]
    public void ResponseFaultAndBindNakReaders_ParseSamba()
    {
        byte[] stub = Enumerable.Range(0, 37).Select(i => (byte)i).ToArray();
        byte[] signature = new FixedSignatureContext(16).Signature;
        IReadOnlyList<byte[]> samba = Pack(
            new JsonObject { ["kind"] = "response", ["call_id"] = 3, ["flags"] = 1, ["alloc_hint"] = 999, ["context_id"] = 0, ["cancel_count"] = 0, ["stub"] = Convert.ToHexString(stub), ["auth"] = Auth(10, 6, 11, 1, signature) },
            new JsonObject { ["kind"] = "fault", ["call_id"] = 4, ["flags"] = 0x23, ["alloc_hint"] = 32, ["context_id"] = 0, ["status"] = RpcFaultStatus.ProtocolError },
            new JsonObject { ["kind"] = "bind_nak", ["call_id"] = 1, ["reason"] = 8 });

        RpcPduHeader header = RpcPduHeader.Read(samba[0]);
        RpcResponsePdu response = RpcResponsePdu.Read(samba[0], header);
        Assert.Equal((RpcPacketType.Response, RpcPacketFlags.FirstFragment, (ushort)16, 3u), (header.PacketType, header.Flags, header.AuthLength, header.CallId));
        Assert.Equal(999u, response.AllocationHint);
        Assert.Equal(48, response.StubAndPadLength);
        Assert.Equal(new RpcSecurityTrailer(10, 6, 11, 1), response.Trailer);
        Assert.Equal(stub, samba[0].AsSpan(24, 37).ToArray());

        RpcFaultPdu fault = RpcFaultPdu.Read(samba[1]);
        Assert.Equal(RpcFaultStatus.ProtocolError, fault.Status);
        Assert.Equal(Convert.ToHexString(samba[1]), Convert.ToHexString(fault.ToFragment(4)));

        Assert.Equal((ushort)8, RpcBindNakPdu.Read(samba[2]).Reason);
    }

    [Fact]
    public void EptMapRequest_MatchesSamba_AndTheReplyParserReadsSambaTowers()
    {
        IReadOnlyList<byte[]> samba = Pack(
            new JsonObject { ["kind"] = "epm_map_in", ["interface"] = Syntax(Drsuapi, 4), ["max_towers"] = 4 },
            new JsonObject
            {
                ["kind"] = "epm_map_out", ["interface"] = Syntax(Drsuapi, 4), ["max_towers"] = 4, ["status"] = 0,
                ["towers"] = new JsonArray(new JsonObject { ["port"] = 49153, ["address"] = "127.0.0.1" }, new JsonObject { ["port"] = 50001, ["address"] = "10.0.0.1" }),
            },
            new JsonObject { ["kind"] = "epm_map_out", ["interface"] = Syntax(Drsuapi, 4), ["max_towers"] = 4, ["status"] = EndpointMapper.NoMoreEntries, ["towers"] = new JsonArray() });

        Assert.Equal(Convert.ToHexString(samba[0]), Convert.ToHexString(EndpointMapper.BuildMapRequest(RpcSyntaxId.Drsuapi)));
        Assert.Equal(49153, EndpointMapper.ParseMapResponse(samba[1], RpcSyntaxId.Drsuapi));
        PasswordHashSync.Replication.ReplicationException missing = Assert.Throws<PasswordHashSync.Replication.ReplicationException>(
            () => EndpointMapper.ParseMapResponse(samba[2], RpcSyntaxId.Drsuapi));
        Assert.Contains("EPMAPPER_STATUS_NO_MORE_ENTRIES", missing.Message, StringComparison.Ordinal);
        Assert.Throws<PasswordHashSync.Replication.ReplicationException>(() => EndpointMapper.ParseMapResponse(samba[1], RpcSyntaxId.EndpointMapper));
    }
}
