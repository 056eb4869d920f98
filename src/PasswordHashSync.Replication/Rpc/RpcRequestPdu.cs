using System.Buffers.Binary;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// request (C706 12.6.4.9; [idl] <c>dcerpc_request</c>): after the header, alloc_hint u32, p_cont_id u16, opnum u16,
/// then the stub (this client never sets PFC_OBJECT_UUID), then, when authenticated, the auth pad, sec_trailer and
/// auth_value. The header plus body is 24 bytes (<c>DCERPC_REQUEST_LENGTH</c>).
/// </summary>
/// <param name="AllocationHint">alloc_hint: the stub bytes still to come from this fragment on.</param>
/// <param name="ContextId">p_cont_id.</param>
/// <param name="Opnum">opnum.</param>
internal readonly record struct RpcRequestPdu(uint AllocationHint, ushort ContextId, ushort Opnum)
{
    /// <summary>Where the stub starts.</summary>
    public const int StubOffset = 24;

    /// <summary>Writes the header and the request body (24 bytes); the caller places stub, pad, trailer and auth_value after them.</summary>
    /// <param name="destination">The fragment buffer.</param>
    /// <param name="header">The common header with final lengths.</param>
    public void WriteHeader(Span<byte> destination, in RpcPduHeader header)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, StubOffset, nameof(destination));
        header.Write(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], AllocationHint);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[20..], ContextId);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[22..], Opnum);
    }

    /// <summary>Reads a request fragment's body (what a server does; used by the tests' fake server).</summary>
    /// <param name="fragment">The whole fragment.</param>
    /// <param name="header">Its header.</param>
    /// <returns>The body fields.</returns>
    /// <exception cref="RpcProtocolException">The fragment is not a request or is truncated, or carries an object UUID.</exception>
    public static RpcRequestPdu Read(ReadOnlySpan<byte> fragment, in RpcPduHeader header)
    {
        if (header.PacketType != RpcPacketType.Request || header.FragmentLength > fragment.Length || header.FragmentLength < StubOffset
            || (header.Flags & RpcPacketFlags.ObjectUuid) != 0)
        {
            throw new RpcProtocolException("The fragment is not a whole request without object UUID.");
        }

        return new RpcRequestPdu(
            BinaryPrimitives.ReadUInt32LittleEndian(fragment[16..]),
            BinaryPrimitives.ReadUInt16LittleEndian(fragment[20..]),
            BinaryPrimitives.ReadUInt16LittleEndian(fragment[22..]));
    }
}
