using System.Buffers.Binary;
using System.Globalization;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// The 8-byte sec_trailer before an auth_value (MS-RPCE 2.2.2.11; [idl] <c>dcerpc_auth</c>): auth_type, auth_level,
/// auth_pad_length, auth_reserved (0), auth_context_id. It sits at <c>frag_length − auth_length − 8</c>.
/// </summary>
/// <param name="AuthType">auth_type: 10 NTLMSSP, 16 Kerberos, 9 SPNEGO.</param>
/// <param name="AuthLevel">auth_level: 6 is packet privacy.</param>
/// <param name="AuthPadLength">How many pad bytes precede the trailer.</param>
/// <param name="AuthContextId">auth_context_id: constant for the connection.</param>
internal readonly record struct RpcSecurityTrailer(byte AuthType, byte AuthLevel, byte AuthPadLength, uint AuthContextId)
{
    /// <summary>The trailer length.</summary>
    public const int Length = 8;

    /// <summary>RPC_C_AUTHN_LEVEL_PKT_PRIVACY (MS-RPCE 2.2.1.1.8): sign and seal every PDU.</summary>
    public const byte PacketPrivacy = 6;

    /// <summary>The stub plus pad of a request or response is a multiple of this, counted from the stub start (<c>DCERPC_AUTH_PAD_ALIGNMENT</c>).</summary>
    public const int PadAlignment = 16;

    /// <summary>Writes the 8 bytes.</summary>
    /// <param name="destination">At least 8 bytes.</param>
    public void Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));
        destination[0] = AuthType;
        destination[1] = AuthLevel;
        destination[2] = AuthPadLength;
        destination[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], AuthContextId);
    }

    /// <summary>Reads the trailer of a fragment and returns where the auth region starts.</summary>
    /// <param name="fragment">The whole fragment (frag_length bytes).</param>
    /// <param name="header">Its header.</param>
    /// <param name="bodyLength">The fixed body length after the 16-byte header that the trailer must not overlap.</param>
    /// <param name="trailerOffset">Where the trailer starts.</param>
    /// <returns>The trailer.</returns>
    /// <exception cref="RpcProtocolException">auth_length does not fit the fragment.</exception>
    public static RpcSecurityTrailer Read(ReadOnlySpan<byte> fragment, in RpcPduHeader header, int bodyLength, out int trailerOffset)
    {
        trailerOffset = header.FragmentLength - header.AuthLength - Length;
        if (header.AuthLength == 0 || trailerOffset < RpcPduHeader.Length + bodyLength || header.FragmentLength > fragment.Length)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"A {header.PacketType} fragment of {header.FragmentLength} bytes cannot hold an auth_value of {header.AuthLength} bytes after its body."));
        }

        ReadOnlySpan<byte> trailer = fragment.Slice(trailerOffset, Length);
        return new RpcSecurityTrailer(trailer[0], trailer[1], trailer[2], BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]));
    }
}
