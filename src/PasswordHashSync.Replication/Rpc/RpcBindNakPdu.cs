using System.Buffers.Binary;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// bind_nak (C706 12.6.4.5; MS-RPCE 2.2.2.9; [idl] <c>dcerpc_bind_nak</c>): provider_reject_reason u16, then the
/// supported protocol versions (n u8, then n × major u8, minor u8); MS-RPCE may append a 16-byte signature.
/// </summary>
/// <param name="Reason">provider_reject_reason.</param>
internal readonly record struct RpcBindNakPdu(ushort Reason)
{
    /// <summary>Reads the reason (the version list that may follow is not needed).</summary>
    /// <param name="fragment">The whole fragment.</param>
    /// <returns>The body.</returns>
    /// <exception cref="RpcProtocolException">The fragment is truncated.</exception>
    public static RpcBindNakPdu Read(ReadOnlySpan<byte> fragment)
    {
        RpcPduHeader header = RpcPduHeader.Read(fragment);
        if (header.PacketType != RpcPacketType.BindNak || header.FragmentLength > fragment.Length || header.FragmentLength < RpcPduHeader.Length + 2)
        {
            throw new RpcProtocolException("The fragment is not a whole bind_nak.");
        }

        return new RpcBindNakPdu(BinaryPrimitives.ReadUInt16LittleEndian(fragment[16..]));
    }

    /// <summary>Writes a bind_nak with no version list (used by the tests' fake server).</summary>
    /// <param name="callId">The bind's call_id.</param>
    /// <returns>The fragment.</returns>
    public byte[] ToFragment(uint callId)
    {
        byte[] fragment = new byte[RpcPduHeader.Length + 4];
        new RpcPduHeader(RpcPacketType.BindNak, RpcPacketFlags.FirstAndLast, (ushort)fragment.Length, 0, callId).Write(fragment);
        BinaryPrimitives.WriteUInt16LittleEndian(fragment.AsSpan(16), Reason);
        return fragment;
    }

    /// <summary>What the reason means ([idl] <c>dcerpc_bind_nak_reason</c>; MS-RPCE 2.2.2.9).</summary>
    /// <returns>An explanation for an administrator.</returns>
    public string Describe() => Reason switch
    {
        0 => "reason not specified",
        1 => "temporary congestion",
        2 => "local limit exceeded",
        4 => "protocol version not supported",
        8 => "invalid authentication type (the DC does not offer this authentication method)",
        9 => "invalid checksum",
        _ => "reason " + Reason.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
