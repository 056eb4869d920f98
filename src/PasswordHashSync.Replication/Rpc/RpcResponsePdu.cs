using System.Buffers.Binary;
using System.Globalization;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// response (C706 12.6.4.10; [idl] <c>dcerpc_response</c>): after the header, alloc_hint u32, p_cont_id u16,
/// cancel_count u8, a reserved byte, then the stub; when authenticated the auth pad, sec_trailer and auth_value
/// follow, and the stub plus pad is what the security context unseals.
/// </summary>
/// <param name="AllocationHint">alloc_hint: only a hint, never used to size a buffer.</param>
/// <param name="ContextId">p_cont_id.</param>
/// <param name="CancelCount">cancel_count.</param>
/// <param name="StubAndPadLength">The bytes from offset 24 up to the sec_trailer (or to the fragment end).</param>
/// <param name="Trailer">The sec_trailer, or <see langword="null"/> when auth_length is 0.</param>
internal readonly record struct RpcResponsePdu(uint AllocationHint, ushort ContextId, byte CancelCount, int StubAndPadLength, RpcSecurityTrailer? Trailer)
{
    /// <summary>Where the stub starts.</summary>
    public const int StubOffset = 24;

    /// <summary>Reads a response fragment's body and locates its stub and trailer.</summary>
    /// <param name="fragment">The whole fragment.</param>
    /// <param name="header">Its header.</param>
    /// <returns>The body fields.</returns>
    /// <exception cref="RpcProtocolException">The fragment is truncated or its auth region does not fit.</exception>
    public static RpcResponsePdu Read(ReadOnlySpan<byte> fragment, in RpcPduHeader header)
    {
        if (header.PacketType != RpcPacketType.Response || header.FragmentLength > fragment.Length || header.FragmentLength < StubOffset)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"A response fragment of {header.FragmentLength} bytes is shorter than its 24-byte header."));
        }

        RpcSecurityTrailer? trailer = null;
        int stubEnd = header.FragmentLength;
        if (header.AuthLength > 0)
        {
            trailer = RpcSecurityTrailer.Read(fragment, header, 8, out stubEnd);
            if (trailer.Value.AuthPadLength > stubEnd - StubOffset)
            {
                throw new RpcProtocolException("A response fragment's auth pad is longer than its stub.");
            }
        }

        return new RpcResponsePdu(
            BinaryPrimitives.ReadUInt32LittleEndian(fragment[16..]),
            BinaryPrimitives.ReadUInt16LittleEndian(fragment[20..]),
            fragment[22],
            stubEnd - StubOffset,
            trailer);
    }

    /// <summary>Writes the header and body (24 bytes) of a response (used by the tests' fake server).</summary>
    /// <param name="destination">The fragment buffer.</param>
    /// <param name="header">The common header with final lengths.</param>
    public void WriteHeader(Span<byte> destination, in RpcPduHeader header)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, StubOffset, nameof(destination));
        header.Write(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], AllocationHint);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[20..], ContextId);
        destination[22] = CancelCount;
        destination[23] = 0;
    }
}
