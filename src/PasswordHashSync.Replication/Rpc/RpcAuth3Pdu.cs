namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// rpc_auth_3 (MS-RPCE 2.2.2.10; [idl] <c>dcerpc_auth3</c>): the header, a 4-byte pad the receiver ignores, the
/// sec_trailer (auth pad 0) and the client's last token. The server sends no reply.
/// </summary>
internal static class RpcAuth3Pdu
{
    private const int PadLength = 4;

    /// <summary>The fragment length for a token of <paramref name="authLength"/> bytes.</summary>
    /// <param name="authLength">The token length.</param>
    /// <returns>The length.</returns>
    public static int GetLength(int authLength) => RpcPduHeader.Length + PadLength + RpcSecurityTrailer.Length + authLength;

    /// <summary>Writes the fragment.</summary>
    /// <param name="destination">At least <see cref="GetLength"/> bytes.</param>
    /// <param name="callId">The call_id.</param>
    /// <param name="trailer">The sec_trailer (its pad length is written as 0).</param>
    /// <param name="authValue">The token.</param>
    /// <returns>The bytes written.</returns>
    public static int Write(Span<byte> destination, uint callId, RpcSecurityTrailer trailer, ReadOnlySpan<byte> authValue)
    {
        int length = GetLength(authValue.Length);
        if (authValue.IsEmpty || length > ushort.MaxValue)
        {
            throw new ArgumentException("An auth3 token must be 1 to 65507 bytes.", nameof(authValue));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, length, nameof(destination));
        new RpcPduHeader(RpcPacketType.Auth3, RpcPacketFlags.FirstAndLast, (ushort)length, (ushort)authValue.Length, callId).Write(destination);
        destination.Slice(RpcPduHeader.Length, PadLength).Clear();
        (trailer with { AuthPadLength = 0 }).Write(destination[(RpcPduHeader.Length + PadLength)..]);
        authValue.CopyTo(destination[(RpcPduHeader.Length + PadLength + RpcSecurityTrailer.Length)..]);
        return length;
    }

    /// <summary>Reads an auth3 (what a server does; used by the tests' fake server).</summary>
    /// <param name="fragment">The whole fragment.</param>
    /// <param name="trailer">The sec_trailer.</param>
    /// <returns>The token.</returns>
    /// <exception cref="RpcProtocolException">The fragment is malformed.</exception>
    public static byte[] Read(ReadOnlySpan<byte> fragment, out RpcSecurityTrailer trailer)
    {
        RpcPduHeader header = RpcPduHeader.Read(fragment);
        if (header.PacketType != RpcPacketType.Auth3)
        {
            throw new RpcProtocolException("The fragment is not an auth3.");
        }

        trailer = RpcSecurityTrailer.Read(fragment, header, PadLength, out _);
        return fragment.Slice(header.FragmentLength - header.AuthLength, header.AuthLength).ToArray();
    }
}
