using System.Buffers.Binary;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// fault (C706 12.6.4.7; MS-RPCE 2.2.2.12; [idl] <c>dcerpc_fault</c>): after the header, alloc_hint u32, p_cont_id u16,
/// cancel_count u8, flags u8 (0x01: extended error information follows), status u32, reserved u32; 32 bytes in all
/// (<c>DCERPC_FAULT_LENGTH</c>).
/// </summary>
/// <param name="ContextId">p_cont_id.</param>
/// <param name="Status">The nca_s_* or Win32 status.</param>
internal readonly record struct RpcFaultPdu(ushort ContextId, uint Status)
{
    /// <summary>The fault PDU length without extended error information.</summary>
    public const int Length = 32;

    /// <summary>Reads a fault.</summary>
    /// <param name="fragment">The whole fragment.</param>
    /// <returns>The body.</returns>
    /// <exception cref="RpcProtocolException">The fragment is truncated.</exception>
    public static RpcFaultPdu Read(ReadOnlySpan<byte> fragment)
    {
        RpcPduHeader header = RpcPduHeader.Read(fragment);
        if (header.PacketType != RpcPacketType.Fault || header.FragmentLength > fragment.Length || header.FragmentLength < 28)
        {
            throw new RpcProtocolException("A fault PDU is shorter than its status field.");
        }

        return new RpcFaultPdu(BinaryPrimitives.ReadUInt16LittleEndian(fragment[20..]), BinaryPrimitives.ReadUInt32LittleEndian(fragment[24..]));
    }

    /// <summary>Writes a fault (used by the tests' fake server), with PFC_DID_NOT_EXECUTE as Samba sends it.</summary>
    /// <param name="callId">The call's call_id.</param>
    /// <returns>The fragment.</returns>
    public byte[] ToFragment(uint callId)
    {
        byte[] fragment = new byte[Length];
        new RpcPduHeader(RpcPacketType.Fault, RpcPacketFlags.FirstAndLast | RpcPacketFlags.DidNotExecute, Length, 0, callId).Write(fragment);
        BinaryPrimitives.WriteUInt32LittleEndian(fragment.AsSpan(16), Length);
        BinaryPrimitives.WriteUInt16LittleEndian(fragment.AsSpan(20), ContextId);
        BinaryPrimitives.WriteUInt32LittleEndian(fragment.AsSpan(24), Status);
        return fragment;
    }
}
