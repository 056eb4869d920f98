using System.Buffers.Binary;
using System.Globalization;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// The 16-byte common header of every connection-oriented PDU (C706 12.6.3.1; MS-RPCE 2.2.2; [idl] <c>ncacn_packet</c>):
/// rpc_vers 5, rpc_vers_minor 0, PTYPE, pfc_flags, drep, frag_length, auth_length, call_id; integers little-endian.
/// </summary>
/// <param name="PacketType">PTYPE.</param>
/// <param name="Flags">pfc_flags.</param>
/// <param name="FragmentLength">frag_length: the whole fragment, auth included.</param>
/// <param name="AuthLength">auth_length: the auth_value only (the 8-byte sec_trailer is not counted).</param>
/// <param name="CallId">call_id: repeated by every fragment of a call.</param>
internal readonly record struct RpcPduHeader(RpcPacketType PacketType, RpcPacketFlags Flags, ushort FragmentLength, ushort AuthLength, uint CallId)
{
    /// <summary>The header length.</summary>
    public const int Length = 16;

    /// <summary>drep[0] for little-endian integers and ASCII characters (<c>DCERPC_DREP_LE</c>); drep[1] 0 is IEEE floats.</summary>
    public const byte LittleEndianDataRepresentation = 0x10;

    /// <summary>Writes the header into the first 16 bytes of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least 16 bytes.</param>
    public void Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));
        destination[0] = 5;
        destination[1] = 0;
        destination[2] = (byte)PacketType;
        destination[3] = (byte)Flags;
        destination[4] = LittleEndianDataRepresentation;
        destination[5] = 0;
        destination[6] = 0;
        destination[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], FragmentLength);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], AuthLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], CallId);
    }

    /// <summary>Reads and checks a header: version 5.0, little-endian ASCII IEEE data representation, frag_length at least 16.</summary>
    /// <param name="source">At least the first 16 bytes of a fragment.</param>
    /// <returns>The header.</returns>
    /// <exception cref="RpcProtocolException">The bytes are not a version 5.0 little-endian header.</exception>
    public static RpcPduHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Length)
        {
            throw new RpcProtocolException("A DCE/RPC PDU is shorter than its 16-byte header.");
        }

        if (source[0] != 5 || source[1] > 1)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"The peer speaks DCE/RPC version {source[0]}.{source[1]}; only connection-oriented version 5.0 is supported."));
        }

        // Only little-endian integers with ASCII characters (drep[0] = 0x10) and IEEE floats (drep[1] = 0) are supported.
        if (source[4] != LittleEndianDataRepresentation || source[5] != 0)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"The peer uses data representation {source[4]:X2} {source[5]:X2}; only little-endian ASCII IEEE (10 00) is supported."));
        }

        ushort fragmentLength = BinaryPrimitives.ReadUInt16LittleEndian(source[8..]);
        if (fragmentLength < Length)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"A DCE/RPC fragment claims a length of {fragmentLength} bytes, less than its own header."));
        }

        return new RpcPduHeader(
            (RpcPacketType)source[2],
            (RpcPacketFlags)source[3],
            fragmentLength,
            BinaryPrimitives.ReadUInt16LittleEndian(source[10..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[12..]));
    }
}
