using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication.Ntlm;

/// <summary>
/// The server's CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2): "NTLMSSP\0", MessageType 2, TargetNameFields at 12,
/// NegotiateFlags at 20, ServerChallenge at 24, Reserved at 32, TargetInfoFields at 40, Version at 48 (when
/// negotiated), then the payload. Every security buffer and AV pair is checked against the message before use.
/// </summary>
/// <param name="Flags">NegotiateFlags.</param>
/// <param name="ServerChallenge">The 8-byte server challenge.</param>
/// <param name="TargetName">TargetName (UTF-16LE when UNICODE is set).</param>
/// <param name="TargetInfo">The raw TargetInfo bytes, EOL included.</param>
/// <param name="AvPairs">The parsed AV pairs, EOL excluded.</param>
internal sealed record NtlmChallengeMessage(NtlmNegotiateFlags Flags, byte[] ServerChallenge, string TargetName, byte[] TargetInfo, IReadOnlyList<NtlmAvPair> AvPairs)
{
    /// <summary>"NTLMSSP\0".</summary>
    public static ReadOnlySpan<byte> Signature => "NTLMSSP\0"u8;

    private const int FixedLength = 48;

    /// <summary>The MsvAvTimestamp FILETIME, when the server sent one (MS-NLMP 3.1.5.1.2: then the client adds a MIC).</summary>
    public long? Timestamp
    {
        get
        {
            foreach (NtlmAvPair pair in AvPairs)
            {
                if (pair.Id == NtlmAvId.Timestamp)
                {
                    return BinaryPrimitives.ReadInt64LittleEndian(pair.Value.Span);
                }
            }

            return null;
        }
    }

    /// <summary>Parses a CHALLENGE_MESSAGE.</summary>
    /// <param name="message">The token from bind_ack.</param>
    /// <returns>The message.</returns>
    /// <exception cref="RpcAuthenticationException">The token is not a well-formed CHALLENGE_MESSAGE.</exception>
    public static NtlmChallengeMessage Parse(ReadOnlySpan<byte> message)
    {
        if (message.Length < FixedLength || !message[..8].SequenceEqual(Signature))
        {
            throw Malformed("it is not an NTLMSSP message of at least 48 bytes");
        }

        uint type = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);
        if (type != 2)
        {
            throw Malformed(string.Create(CultureInfo.InvariantCulture, $"its MessageType is {type}, not 2 (CHALLENGE)"));
        }

        var flags = (NtlmNegotiateFlags)BinaryPrimitives.ReadUInt32LittleEndian(message[20..]);
        ReadOnlySpan<byte> targetName = ReadBuffer(message, 12, "TargetName");
        ReadOnlySpan<byte> targetInfo = ReadBuffer(message, 40, "TargetInfo");
        if ((targetName.Length & 1) != 0 && (flags & NtlmNegotiateFlags.Unicode) != 0)
        {
            throw Malformed("its UTF-16 TargetName has an odd length");
        }

        return new NtlmChallengeMessage(
            flags,
            message.Slice(24, 8).ToArray(),
            (flags & NtlmNegotiateFlags.Unicode) != 0 ? Encoding.Unicode.GetString(targetName) : Encoding.ASCII.GetString(targetName),
            targetInfo.ToArray(),
            ParseAvPairs(targetInfo));
    }

    /// <summary>Parses a TargetInfo AV_PAIR list: every pair inside the buffer, MsvAvEOL last, fixed-size values checked.</summary>
    /// <param name="targetInfo">The TargetInfo bytes.</param>
    /// <returns>The pairs without the EOL.</returns>
    /// <exception cref="RpcAuthenticationException">The list is malformed.</exception>
    public static IReadOnlyList<NtlmAvPair> ParseAvPairs(ReadOnlySpan<byte> targetInfo)
    {
        var pairs = new List<NtlmAvPair>();
        int offset = 0;
        while (true)
        {
            if (targetInfo.Length - offset < 4)
            {
                throw Malformed("its TargetInfo does not end with MsvAvEOL");
            }

            var id = (NtlmAvId)BinaryPrimitives.ReadUInt16LittleEndian(targetInfo[offset..]);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(targetInfo[(offset + 2)..]);
            offset += 4;
            if (targetInfo.Length - offset < length)
            {
                throw Malformed(string.Create(CultureInfo.InvariantCulture, $"its AV pair {(ushort)id} of {length} bytes runs past TargetInfo"));
            }

            if (id == NtlmAvId.EndOfList)
            {
                return length == 0 ? pairs : throw Malformed("its MsvAvEOL has a value");
            }

            if ((id == NtlmAvId.Timestamp && length != 8) || (id == NtlmAvId.Flags && length != 4))
            {
                throw Malformed(string.Create(CultureInfo.InvariantCulture, $"its AV pair {(ushort)id} has length {length}"));
            }

            pairs.Add(new NtlmAvPair(id, targetInfo.Slice(offset, length).ToArray()));
            offset += length;
        }
    }

    private static ReadOnlySpan<byte> ReadBuffer(ReadOnlySpan<byte> message, int fieldOffset, string name)
    {
        int length = BinaryPrimitives.ReadUInt16LittleEndian(message[fieldOffset..]);
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(message[(fieldOffset + 4)..]);
        if (length == 0)
        {
            return [];
        }

        if (offset < FixedLength || offset > (uint)message.Length || (uint)message.Length - offset < (uint)length)
        {
            throw Malformed(string.Create(CultureInfo.InvariantCulture, $"its {name} ({length} bytes at offset {offset}) lies outside the {message.Length}-byte message"));
        }

        return message.Slice((int)offset, length);
    }

    private static RpcAuthenticationException Malformed(string why) =>
        new("The server's NTLM CHALLENGE message is malformed: " + why + ".");
}
