using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// bind_ack and alter_context_resp (C706 12.6.4.4 and 12.6.4.2; [idl] <c>dcerpc_bind_ack</c>): max_xmit_frag u16,
/// max_recv_frag u16, assoc_group_id u32, the secondary address (u16 length including the NUL, then ASCII), padding to
/// a 4-byte boundary, n_results u8 + 3 reserved bytes, and one 24-byte result per context (result u16, reason u16,
/// transfer syntax), then the sec_trailer and auth_value.
/// </summary>
/// <param name="MaxTransmitFragment">The server's max_xmit_frag.</param>
/// <param name="MaxReceiveFragment">The server's max_recv_frag: the largest fragment the client may send.</param>
/// <param name="AssociationGroupId">assoc_group_id.</param>
/// <param name="SecondaryAddress">The port string (may be empty, as in alter_context_resp).</param>
/// <param name="Results">One result per offered context.</param>
internal sealed record RpcBindAckPdu(ushort MaxTransmitFragment, ushort MaxReceiveFragment, uint AssociationGroupId, string SecondaryAddress, IReadOnlyList<RpcBindResult> Results)
{
    private const int ResultLength = 4 + RpcSyntaxId.Length;

    /// <summary>Reads a bind_ack or alter_context_resp, bounds-checking every field against the fragment.</summary>
    /// <param name="fragment">The whole fragment.</param>
    /// <param name="authValue">The auth_value (empty when auth_length is 0).</param>
    /// <param name="trailer">The sec_trailer, or <see langword="null"/>.</param>
    /// <returns>The body.</returns>
    /// <exception cref="RpcProtocolException">The fragment is malformed.</exception>
    public static RpcBindAckPdu Read(ReadOnlySpan<byte> fragment, out byte[] authValue, out RpcSecurityTrailer? trailer)
    {
        RpcPduHeader header = RpcPduHeader.Read(fragment);
        if (header.PacketType is not (RpcPacketType.BindAck or RpcPacketType.AlterContextResponse) || header.FragmentLength > fragment.Length)
        {
            throw new RpcProtocolException("The fragment is not a whole bind_ack or alter_context_resp.");
        }

        int end = header.FragmentLength;
        trailer = null;
        authValue = [];
        if (header.AuthLength > 0)
        {
            trailer = RpcSecurityTrailer.Read(fragment, header, 8, out end);
            authValue = fragment.Slice(header.FragmentLength - header.AuthLength, header.AuthLength).ToArray();
        }

        ReadOnlySpan<byte> pdu = fragment[..end];
        if (pdu.Length < RpcPduHeader.Length + 10)
        {
            throw new RpcProtocolException("A bind_ack is shorter than its fixed body.");
        }

        int addressLength = BinaryPrimitives.ReadUInt16LittleEndian(pdu[24..]);
        int offset = 26;
        if (pdu.Length - offset < addressLength)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"A bind_ack's secondary address of {addressLength} bytes does not fit the PDU."));
        }

        ReadOnlySpan<byte> address = pdu.Slice(offset, addressLength);
        int nul = address.IndexOf((byte)0);
        string secondaryAddress = Encoding.ASCII.GetString(nul >= 0 ? address[..nul] : address);
        offset = (offset + addressLength + 3) & ~3;
        if (pdu.Length - offset < 4)
        {
            throw new RpcProtocolException("A bind_ack has no result list.");
        }

        int count = pdu[offset];
        offset += 4;
        if ((pdu.Length - offset) / ResultLength < count)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"A bind_ack announces {count} results that do not fit the PDU."));
        }

        var results = new RpcBindResult[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> item = pdu.Slice(offset + (i * ResultLength), ResultLength);
            results[i] = new RpcBindResult(
                (RpcBindResultCode)BinaryPrimitives.ReadUInt16LittleEndian(item),
                BinaryPrimitives.ReadUInt16LittleEndian(item[2..]),
                RpcSyntaxId.Read(item[4..]));
        }

        return new RpcBindAckPdu(
            BinaryPrimitives.ReadUInt16LittleEndian(pdu[16..]),
            BinaryPrimitives.ReadUInt16LittleEndian(pdu[18..]),
            BinaryPrimitives.ReadUInt32LittleEndian(pdu[20..]),
            secondaryAddress,
            results);
    }

    /// <summary>Writes a bind_ack or alter_context_resp (what a server does; used by the tests' fake server).</summary>
    /// <param name="packetType"><see cref="RpcPacketType.BindAck"/> or <see cref="RpcPacketType.AlterContextResponse"/>.</param>
    /// <param name="callId">The call_id of the bind.</param>
    /// <param name="trailer">The sec_trailer, or <see langword="null"/>.</param>
    /// <param name="authValue">The server token.</param>
    /// <returns>The fragment.</returns>
    public byte[] ToFragment(RpcPacketType packetType, uint callId, RpcSecurityTrailer? trailer, ReadOnlySpan<byte> authValue)
    {
        int addressLength = SecondaryAddress.Length == 0 ? 0 : SecondaryAddress.Length + 1;
        int resultsOffset = (26 + addressLength + 3) & ~3;
        int bodyEnd = resultsOffset + 4 + (Results.Count * ResultLength);
        int authLength = trailer is null ? 0 : authValue.Length;
        int length = bodyEnd + (trailer is null ? 0 : RpcSecurityTrailer.Length + authLength);
        byte[] fragment = new byte[length];
        new RpcPduHeader(packetType, RpcPacketFlags.FirstAndLast, (ushort)length, (ushort)authLength, callId).Write(fragment);
        Span<byte> span = fragment;
        BinaryPrimitives.WriteUInt16LittleEndian(span[16..], MaxTransmitFragment);
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], MaxReceiveFragment);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], AssociationGroupId);
        BinaryPrimitives.WriteUInt16LittleEndian(span[24..], (ushort)addressLength);
        _ = Encoding.ASCII.GetBytes(SecondaryAddress, span[26..]);
        span[resultsOffset] = (byte)Results.Count;
        for (int i = 0; i < Results.Count; i++)
        {
            Span<byte> item = span.Slice(resultsOffset + 4 + (i * ResultLength), ResultLength);
            BinaryPrimitives.WriteUInt16LittleEndian(item, (ushort)Results[i].Result);
            BinaryPrimitives.WriteUInt16LittleEndian(item[2..], Results[i].Reason);
            Results[i].TransferSyntax.Write(item[4..]);
        }

        if (trailer is { } t)
        {
            t.Write(span[bodyEnd..]);
            authValue.CopyTo(span[(bodyEnd + RpcSecurityTrailer.Length)..]);
        }

        return fragment;
    }
}

/// <summary>One context's result in a bind_ack (C706 12.6.3.1 <c>p_result_t</c>; [idl] <c>dcerpc_ack_ctx</c>).</summary>
/// <param name="Result">Acceptance or the rejection kind.</param>
/// <param name="Reason">Why it was rejected (1 abstract syntax not supported, 2 transfer syntaxes not supported).</param>
/// <param name="TransferSyntax">The accepted transfer syntax.</param>
internal readonly record struct RpcBindResult(RpcBindResultCode Result, ushort Reason, RpcSyntaxId TransferSyntax);

/// <summary>p_cont_def_result_t ([idl] <c>dcerpc_bind_ack_result</c>).</summary>
internal enum RpcBindResultCode : ushort
{
    /// <summary>The context is accepted.</summary>
    Acceptance = 0,

    /// <summary>User rejection.</summary>
    UserRejection = 1,

    /// <summary>Provider rejection (see the reason).</summary>
    ProviderRejection = 2,

    /// <summary>A bind-time feature negotiation answer (MS-RPCE 3.3.1.5.3).</summary>
    NegotiateAck = 3,
}
