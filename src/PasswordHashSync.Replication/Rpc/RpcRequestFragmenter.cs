namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// Cuts a request stub into fragments that fit the server's max_recv_frag (C706 12.6.3.7): every fragment but the
/// last carries a multiple of 16 stub bytes (so its auth pad is 0), the last is padded with zeros to 16, and each is
/// sealed on its own, which gives it the next sequence number (MS-RPCE 2.2.2.11; the DRSR notes §1.6, §1.8).
/// </summary>
internal static class RpcRequestFragmenter
{
    /// <summary>How many stub bytes one fragment carries at most.</summary>
    /// <param name="maxFragment">The largest fragment the server accepts.</param>
    /// <param name="signatureLength">The auth_value length, or -1 on an unauthenticated connection.</param>
    /// <returns>The stub capacity (a multiple of 16 when authenticated).</returns>
    public static int GetStubCapacity(int maxFragment, int signatureLength)
    {
        int overhead = RpcRequestPdu.StubOffset + (signatureLength >= 0 ? RpcSecurityTrailer.Length + signatureLength : 0);
        int capacity = (maxFragment - overhead) & ~(RpcSecurityTrailer.PadAlignment - 1);
        return capacity > 0 ? capacity : throw new RpcProtocolException("The server's max_recv_frag is too small to carry a request.");
    }

    /// <summary>Writes and (when authenticated) seals one fragment.</summary>
    /// <param name="destination">A buffer of at least the max fragment size.</param>
    /// <param name="stub">The whole request stub.</param>
    /// <param name="offset">Where this fragment's part begins.</param>
    /// <param name="capacity">From <see cref="GetStubCapacity"/>.</param>
    /// <param name="callId">The call_id.</param>
    /// <param name="opnum">The opnum.</param>
    /// <param name="security">The context, or <see langword="null"/>.</param>
    /// <param name="authContextId">The connection's auth_context_id.</param>
    /// <param name="nextOffset">Where the next fragment's part begins (the stub length after the last).</param>
    /// <returns>The fragment length.</returns>
    public static int WriteFragment(
        Span<byte> destination,
        ReadOnlySpan<byte> stub,
        int offset,
        int capacity,
        uint callId,
        ushort opnum,
        IRpcSecurityContext? security,
        uint authContextId,
        out int nextOffset)
    {
        int chunk = Math.Min(capacity, stub.Length - offset);
        bool first = offset == 0;
        bool last = offset + chunk == stub.Length;
        int pad = security is null ? 0 : (RpcSecurityTrailer.PadAlignment - (chunk % RpcSecurityTrailer.PadAlignment)) % RpcSecurityTrailer.PadAlignment;
        int authLength = security?.SignatureLength ?? 0;
        int length = RpcRequestPdu.StubOffset + chunk + pad + (security is null ? 0 : RpcSecurityTrailer.Length + authLength);
        RpcPacketFlags flags = (first ? RpcPacketFlags.FirstFragment : RpcPacketFlags.None) | (last ? RpcPacketFlags.LastFragment : RpcPacketFlags.None);
        Span<byte> fragment = destination[..length];
        var header = new RpcPduHeader(RpcPacketType.Request, flags, (ushort)length, (ushort)authLength, callId);
        new RpcRequestPdu((uint)(stub.Length - offset), 0, opnum).WriteHeader(fragment, header);
        stub.Slice(offset, chunk).CopyTo(fragment[RpcRequestPdu.StubOffset..]);
        if (security is not null)
        {
            int trailerOffset = RpcRequestPdu.StubOffset + chunk + pad;
            fragment[(RpcRequestPdu.StubOffset + chunk)..trailerOffset].Clear();
            new RpcSecurityTrailer(security.AuthType, RpcSecurityTrailer.PacketPrivacy, (byte)pad, authContextId).Write(fragment[trailerOffset..]);
            security.Seal(fragment, RpcRequestPdu.StubOffset, chunk + pad);
        }

        nextOffset = offset + chunk;
        return length;
    }

}
