using System.Buffers.Binary;

namespace PasswordHashSync.Replication.Ntlm;

/// <summary>
/// The client's NEGOTIATE_MESSAGE (MS-NLMP 2.2.1.1): "NTLMSSP\0", MessageType 1, NegotiateFlags, empty
/// DomainNameFields and WorkstationFields (offset at the payload start), and the 8-byte Version: 40 bytes.
/// </summary>
internal static class NtlmNegotiateMessage
{
    /// <summary>The message length.</summary>
    public const int Length = 40;

    /// <summary>Builds the message.</summary>
    /// <param name="flags">The flags to request.</param>
    /// <param name="version">The 8-byte Version field (MS-NLMP 2.2.2.10), as sent.</param>
    /// <returns>The message.</returns>
    public static byte[] Create(NtlmNegotiateFlags flags, ReadOnlySpan<byte> version)
    {
        byte[] message = new byte[Length];
        Span<byte> span = message;
        NtlmChallengeMessage.Signature.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)flags);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], Length);
        version[..8].CopyTo(span[32..]);
        return message;
    }
}
