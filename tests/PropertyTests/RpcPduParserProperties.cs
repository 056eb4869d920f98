using System.Buffers.Binary;
using FsCheck.Xunit;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.PropertyTests;

/// <summary>
/// Rule: every DCE/RPC PDU parser, the reply reassembler, the ept_map reply parser and the NTLM CHALLENGE parser let
/// only their documented exception escape (<see cref="RpcProtocolException"/>, <see cref="RpcAuthenticationException"/>
/// for NTLM, <see cref="ReplicationException"/> for an EPM status), whatever the bytes: random bytes and mutations
/// (bit flips, insertions, deletions, truncation, extreme 16/32-bit values over fields) of valid messages. Each
/// parser property runs 100 seeds × <see cref="InputsPerSeed"/> inputs (100 000 by default; the reassembler 100 000
/// sequences of up to 4 fragments; the full NTLM context, which computes HMACs, a tenth). Set PHS_FUZZ_INPUTS_PER_SEED
/// for a longer run by hand: 10000 gave 1 000 000 inputs per parser, all passing, in 13 s on the 2-core dev machine.
/// </summary>
public class RpcPduParserProperties
{
    private static readonly uint[] ExtremeValues = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFF0];

    // epm_Map's out-stub for one DRSUAPI tower on 127.0.0.1[49153], packed by Samba's ndr_pack_out (python3-samba 4.17).
    private static readonly byte[] s_sambaEptMapReply = Convert.FromHexString(
        "000000000000000000000000000000000000000001000000040000000000000001000000010000004b0000004b000000050013000d354251e3064bd111ab0400c04fc2dcd204000200000013000d045d888aeb1cc9119fe808002b10486002000200000001000b020000000100070200c00101000904007f0000010000000000");

    private static int InputsPerSeed =>
        int.TryParse(Environment.GetEnvironmentVariable("PHS_FUZZ_INPUTS_PER_SEED"), out int n) && n > 0 ? n : 1000;

    private static readonly Lazy<byte[][]> s_validPdus = new(() =>
    [
        new RpcBindAckPdu(5840, 5840, 0x1234, "49153", [new RpcBindResult(RpcBindResultCode.Acceptance, 0, RpcSyntaxId.Ndr20)])
            .ToFragment(RpcPacketType.BindAck, 1, new RpcSecurityTrailer(10, 6, 0, 1), new byte[166]),
        new RpcBindAckPdu(5840, 5840, 0x1234, "", [new RpcBindResult(RpcBindResultCode.Acceptance, 0, RpcSyntaxId.Ndr20)])
            .ToFragment(RpcPacketType.AlterContextResponse, 2, null, []),
        Response(40, withAuth: true),
        Response(100, withAuth: false),
        new RpcFaultPdu(0, RpcFaultStatus.ProtocolError).ToFragment(3),
        new RpcBindNakPdu(8).ToFragment(1),
        Bind(),
        Auth3(),
    ]);

    [Property(MaxTest = 100)]
    public void Pdu_parsers_throw_only_RpcProtocolException(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < InputsPerSeed; i++)
        {
            byte[] input = random.Next(4) == 0 ? RandomBytes(random) : Mutate(s_validPdus.Value[random.Next(s_validPdus.Value.Length)], random);
            Only<RpcProtocolException>(() => ParseAsPdu(input));
        }
    }

    [Property(MaxTest = 100)]
    public void Reassembly_of_hostile_fragments_throws_only_RpcProtocolException(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < InputsPerSeed; i++)
        {
            using var assembler = new RpcResponseAssembler(callId: 7, maxSize: 64 * 1024, security: null, authContextId: 1);
            Only<RpcProtocolException>(() =>
            {
                for (int f = 0; f < 4; f++)
                {
                    byte[] fragment = Mutate(Response(random.Next(0, 300), withAuth: false, callId: 7, flags: (RpcPacketFlags)random.Next(4)), random);
                    RpcPduHeader header = RpcPduHeader.Read(fragment);
                    if (header.FragmentLength > fragment.Length)
                    {
                        return; // the transport never hands over a partial fragment
                    }

                    if (assembler.Add(fragment, header))
                    {
                        assembler.Complete().Dispose();
                        return;
                    }
                }
            });
        }
    }

    [Property(MaxTest = 100)]
    public void EptMap_reply_parser_throws_only_documented_exceptions(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < InputsPerSeed; i++)
        {
            byte[] input = random.Next(4) == 0 ? RandomBytes(random) : Mutate(s_sambaEptMapReply, random);
            Only<ReplicationException>(() => _ = EndpointMapper.ParseMapResponse(input, RpcSyntaxId.Drsuapi));
        }
    }

    [Property(MaxTest = 100)]
    public void Ntlm_challenge_parser_throws_only_RpcAuthenticationException(int seed)
    {
        var random = new Random(seed);
        byte[] valid = ValidChallenge();
        for (int i = 0; i < InputsPerSeed; i++)
        {
            byte[] input = random.Next(4) == 0 ? RandomBytes(random) : Mutate(valid, random);
            Only<RpcAuthenticationException>(() =>
            {
                NtlmChallengeMessage challenge = NtlmChallengeMessage.Parse(input);
                _ = challenge.Timestamp;
            });
        }
    }

    [Property(MaxTest = 100)]
    public void Ntlm_context_given_a_hostile_challenge_throws_only_RpcAuthenticationException(int seed)
    {
        var random = new Random(seed);
        byte[] valid = ValidChallenge();
        for (int i = 0; i < InputsPerSeed / 10; i++)
        {
            using var context = new NtlmSecurityContext("user", "DOMAIN", new byte[16]);
            _ = context.GetInitialToken();
            byte[] input = Mutate(valid, random);
            Only<RpcAuthenticationException>(() => _ = context.ProcessServerToken(input));
        }
    }

    private static void ParseAsPdu(byte[] input)
    {
        RpcPduHeader header = RpcPduHeader.Read(input);
        switch (header.PacketType)
        {
            case RpcPacketType.BindAck or RpcPacketType.AlterContextResponse:
                _ = RpcBindAckPdu.Read(input, out _, out _);
                break;
            case RpcPacketType.Response:
                RpcResponsePdu response = RpcResponsePdu.Read(input, header);
                _ = input.AsSpan(RpcResponsePdu.StubOffset, response.StubAndPadLength - (response.Trailer?.AuthPadLength ?? 0)).ToArray();
                break;
            case RpcPacketType.Fault:
                _ = RpcFaultPdu.Read(input);
                break;
            case RpcPacketType.BindNak:
                _ = RpcBindNakPdu.Read(input).Describe();
                break;
            case RpcPacketType.Bind or RpcPacketType.AlterContext:
                _ = RpcBindPdu.Read(input, out _);
                break;
            case RpcPacketType.Auth3:
                _ = RpcAuth3Pdu.Read(input, out _);
                break;
            default:
                if (header.AuthLength > 0)
                {
                    _ = RpcSecurityTrailer.Read(input, header, 8, out _);
                }

                break;
        }
    }

    private static byte[] Response(int stubLength, bool withAuth, uint callId = 5, RpcPacketFlags flags = RpcPacketFlags.FirstAndLast)
    {
        int pad = withAuth ? (16 - (stubLength % 16)) % 16 : 0;
        int length = 24 + stubLength + pad + (withAuth ? 24 : 0);
        byte[] fragment = new byte[length];
        new RpcResponsePdu((uint)stubLength, 0, 0, 0, null).WriteHeader(fragment, new RpcPduHeader(RpcPacketType.Response, flags, (ushort)length, (ushort)(withAuth ? 16 : 0), callId));
        if (withAuth)
        {
            new RpcSecurityTrailer(10, 6, (byte)pad, 1).Write(fragment.AsSpan(24 + stubLength + pad));
        }

        return fragment;
    }

    private static byte[] Bind()
    {
        var bind = new RpcBindPdu(5840, 5840, 0, [new RpcContextElement(0, RpcSyntaxId.Drsuapi, RpcSyntaxId.Ndr20)]);
        byte[] pdu = new byte[RpcBindPdu.GetLength(1, 40)];
        _ = bind.Write(pdu, RpcPacketType.Bind, 1, new RpcSecurityTrailer(10, 6, 0, 1), new byte[40]);
        return pdu;
    }

    private static byte[] Auth3()
    {
        byte[] pdu = new byte[RpcAuth3Pdu.GetLength(100)];
        _ = RpcAuth3Pdu.Write(pdu, 1, new RpcSecurityTrailer(10, 6, 0, 1), new byte[100]);
        return pdu;
    }

    private static byte[] ValidChallenge()
    {
        // A Samba-like CHALLENGE: TargetName, then AV pairs NbDomainName, NbComputerName, DnsDomainName, Timestamp, EOL.
        byte[] name = "R\0P\0C\0"u8.ToArray();
        byte[] info = [2, 0, 6, 0, .. name, 1, 0, 6, 0, .. name, 4, 0, 6, 0, .. name, 7, 0, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0];
        byte[] message = new byte[56 + name.Length + info.Length];
        "NTLMSSP\0"u8.CopyTo(message);
        message[8] = 2;
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(12), (ushort)name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(14), (ushort)name.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(16), 56);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(20), (uint)NtlmNegotiateFlags.ClientRequested);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(40), (ushort)info.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(42), (ushort)info.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(44), (uint)(56 + name.Length));
        name.CopyTo(message, 56);
        info.CopyTo(message, 56 + name.Length);
        return message;
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 400)];
        random.NextBytes(bytes);
        if (bytes.Length >= 16 && random.Next(2) == 0)
        {
            // A plausible header, so the body parsers are reached.
            bytes[0] = 5;
            bytes[1] = 0;
            bytes[2] = (byte)random.Next(20);
            bytes[4] = 0x10;
            bytes[5] = 0;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)(random.Next(3) == 0 ? random.Next(0x10000) : bytes.Length));
        }

        return bytes;
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    int bit = random.Next(bytes.Count * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                    break;
                case 1:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
                case 3 when bytes.Count > 0:
                    bytes = bytes.Take(random.Next(bytes.Count)).ToList();
                    break;
                case 4 when bytes.Count >= 4:
                    uint value = ExtremeValues[random.Next(ExtremeValues.Length)];
                    int at = random.Next(bytes.Count - 3);
                    byte[] buffer = new byte[4];
                    BinaryPrimitives.WriteUInt32LittleEndian(buffer, value);
                    int width = random.Next(2) == 0 ? 2 : 4;
                    for (int k = 0; k < width; k++)
                    {
                        bytes[at + k] = buffer[k];
                    }

                    break;
                default:
                    break;
            }
        }

        byte[] result = [.. bytes];
        if (result.Length >= 10 && random.Next(2) == 0)
        {
            // Keep frag_length consistent half of the time so the parsers get past the length checks.
            BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)Math.Min(result.Length, ushort.MaxValue));
        }

        return result;
    }

    private static void Only<TException>(Action action)
        where TException : Exception
    {
        try
        {
            action();
        }
        catch (TException)
        {
        }
    }
}
