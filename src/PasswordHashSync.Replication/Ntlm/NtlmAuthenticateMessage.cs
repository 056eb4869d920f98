using System.Buffers.Binary;
using System.Text;

namespace PasswordHashSync.Replication.Ntlm;

/// <summary>
/// The client's AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3): "NTLMSSP\0", MessageType 3, the six security buffers
/// (LmChallengeResponse at 12, NtChallengeResponse at 20, DomainName at 28, UserName at 36, Workstation at 44,
/// EncryptedRandomSessionKey at 52), NegotiateFlags at 60, Version at 64, MIC at 72 when present, then the payload in
/// the order Windows uses (domain, user, workstation, LM, NT, key), which reproduces MS-NLMP 4.2.4.3 byte for byte.
/// </summary>
internal static class NtlmAuthenticateMessage
{
    /// <summary>Where the MIC sits when present.</summary>
    public const int MicOffset = 72;

    /// <summary>The MIC length.</summary>
    public const int MicLength = 16;

    /// <summary>Builds the message; the MIC field (when <paramref name="withMic"/>) is left zero for the caller to fill.</summary>
    /// <param name="flags">The negotiated flags (UNICODE is required by the caller).</param>
    /// <param name="lmResponse">LmChallengeResponse.</param>
    /// <param name="ntResponse">NtChallengeResponse.</param>
    /// <param name="domain">The user's domain.</param>
    /// <param name="user">The user name.</param>
    /// <param name="workstation">The workstation name (may be empty).</param>
    /// <param name="encryptedRandomSessionKey">EncryptedRandomSessionKey, or empty without KEY_EXCH.</param>
    /// <param name="version">The 8-byte Version.</param>
    /// <param name="withMic">Whether to reserve the 16-byte MIC after the Version.</param>
    /// <returns>The message.</returns>
    public static byte[] Create(
        NtlmNegotiateFlags flags,
        ReadOnlySpan<byte> lmResponse,
        ReadOnlySpan<byte> ntResponse,
        string domain,
        string user,
        string workstation,
        ReadOnlySpan<byte> encryptedRandomSessionKey,
        ReadOnlySpan<byte> version,
        bool withMic)
    {
        int payloadOffset = 72 + (withMic ? MicLength : 0);
        int domainLength = Encoding.Unicode.GetByteCount(domain);
        int userLength = Encoding.Unicode.GetByteCount(user);
        int workstationLength = Encoding.Unicode.GetByteCount(workstation);
        int length = payloadOffset + domainLength + userLength + workstationLength + lmResponse.Length + ntResponse.Length + encryptedRandomSessionKey.Length;
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("The user or domain name is too long for an NTLM message.");
        }

        byte[] message = new byte[length];
        Span<byte> span = message;
        NtlmChallengeMessage.Signature.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], 3);
        int offset = payloadOffset;
        offset = WriteField(span, 28, offset, Encoding.Unicode.GetBytes(domain, span[offset..]));
        offset = WriteField(span, 36, offset, Encoding.Unicode.GetBytes(user, span[offset..]));
        offset = WriteField(span, 44, offset, Encoding.Unicode.GetBytes(workstation, span[offset..]));
        lmResponse.CopyTo(span[offset..]);
        offset = WriteField(span, 12, offset, lmResponse.Length);
        ntResponse.CopyTo(span[offset..]);
        offset = WriteField(span, 20, offset, ntResponse.Length);
        encryptedRandomSessionKey.CopyTo(span[offset..]);
        _ = WriteField(span, 52, offset, encryptedRandomSessionKey.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[60..], (uint)flags);
        version[..8].CopyTo(span[64..]);
        return message;
    }

    private static int WriteField(Span<byte> message, int fieldOffset, int payloadOffset, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(message[fieldOffset..], (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(message[(fieldOffset + 2)..], (ushort)length);
        BinaryPrimitives.WriteUInt32LittleEndian(message[(fieldOffset + 4)..], (uint)payloadOffset);
        return payloadOffset + length;
    }
}
