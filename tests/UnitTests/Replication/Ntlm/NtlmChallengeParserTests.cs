using System.Buffers.Binary;
using PasswordHashSync.Cryptography;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication.Ntlm;

/// <summary>Malformed CHALLENGE messages are an <see cref="RpcAuthenticationException"/>; a timestamp makes the client add a MIC.</summary>
public sealed class NtlmChallengeParserTests
{
    [Fact]
    public void Truncated_WrongSignature_WrongType_AreRefused()
    {
        byte[] valid = Challenge(TargetInfo((7, new byte[8])));
        Assert.Throws<RpcAuthenticationException>(() => NtlmChallengeMessage.Parse(valid.AsSpan(0, 47)));
        byte[] badSignature = (byte[])valid.Clone();
        badSignature[0] = (byte)'X';
        Assert.Throws<RpcAuthenticationException>(() => NtlmChallengeMessage.Parse(badSignature));
        byte[] badType = (byte[])valid.Clone();
        badType[8] = 3;
        Assert.Throws<RpcAuthenticationException>(() => NtlmChallengeMessage.Parse(badType));
    }

    [Theory]
    [InlineData(0x7FFFFFF0u)] // offset far past the end
    [InlineData(0xFFFFFFFFu)] // offset that overflows 32 bits when the length is added
    [InlineData(10u)]         // offset inside the fixed header
    public void TargetInfoOutsideTheMessage_IsRefused(uint offset)
    {
        byte[] message = Challenge(TargetInfo());
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(44), offset);
        Assert.Throws<RpcAuthenticationException>(() => NtlmChallengeMessage.Parse(message));
    }

    [Fact]
    public void AvPairsWithoutEol_OrRunningPastTheBuffer_OrBadTimestampLength_AreRefused()
    {
        Assert.Throws<RpcAuthenticationException>(() => NtlmChallengeMessage.ParseAvPairs([2, 0, 2, 0, 0x41, 0]));
        Assert.Throws<RpcAuthenticationException>(() => NtlmChallengeMessage.ParseAvPairs([2, 0, 0xFF, 0, 0x41, 0, 0, 0, 0, 0]));
        Assert.Throws<RpcAuthenticationException>(() => NtlmChallengeMessage.ParseAvPairs([7, 0, 4, 0, 1, 2, 3, 4, 0, 0, 0, 0]));
        Assert.Throws<RpcAuthenticationException>(() => NtlmChallengeMessage.ParseAvPairs([0, 0, 1, 0, 9]));
    }

    [Fact]
    public void ChallengeWithoutSealing_IsRefusedByTheContext()
    {
        byte[] message = Challenge(TargetInfo((7, new byte[8])));
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(20), (uint)(NtlmNegotiateFlags.ClientRequested & ~NtlmNegotiateFlags.Seal));
        using var context = new NtlmSecurityContext("u", "D", new byte[16]);
        _ = context.GetInitialToken();
        Assert.Throws<RpcAuthenticationException>(() => context.ProcessServerToken(message));
        Assert.False(context.IsComplete);
    }

    [Fact]
    public void ServerTimestamp_IsReused_AndTheMicCoversAllThreeMessages()
    {
        long serverTime = 0x01D9_0000_1234_5678;
        byte[] time = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(time, serverTime);
        byte[] challenge = Challenge(TargetInfo((2, "D\0"u8.ToArray()), (7, time)));
        byte[] ntHash = new byte[16];
        Md4.HashData("secret"u8, ntHash);
        using var context = new NtlmSecurityContext("user", "DOM", ntHash, span => span.Fill(0x11), () => 42);
        byte[] negotiate = context.GetInitialToken();

        byte[] authenticate = context.ProcessServerToken(challenge).Token!;

        Assert.True(context.SentMic);
        int ntOffset = BitConverter.ToInt32(authenticate, 24);
        Assert.Equal(serverTime, BitConverter.ToInt64(authenticate, ntOffset + 16 + 8));
        int lmOffset = BitConverter.ToInt32(authenticate, 16);
        Assert.Equal(new byte[24], authenticate.AsSpan(lmOffset, 24).ToArray());
        Assert.Equal(88, BitConverter.ToInt32(authenticate, 32)); // the payload starts after Version and MIC

        byte[] mic = authenticate.AsSpan(72, 16).ToArray();
        byte[] zeroed = (byte[])authenticate.Clone();
        Array.Clear(zeroed, 72, 16);
        // HMAC-MD5 from BouncyCastle, independent of the .NET HMAC the library uses.
        var hmac = new Org.BouncyCastle.Crypto.Macs.HMac(new Org.BouncyCastle.Crypto.Digests.MD5Digest());
        hmac.Init(new Org.BouncyCastle.Crypto.Parameters.KeyParameter(context.SessionKey.ToArray()));
        byte[] transcript = negotiate.Concat(challenge).Concat(zeroed).ToArray();
        hmac.BlockUpdate(transcript, 0, transcript.Length);
        byte[] expected = new byte[16];
        _ = hmac.DoFinal(expected, 0);
        Assert.Equal(expected, mic);

        // The echoed AV pairs carry MsvAvFlags with the MIC bit (0x2), then MsvAvEOL.
        byte[] temp = authenticate.AsSpan(ntOffset + 16, BitConverter.ToUInt16(authenticate, 20) - 16).ToArray();
        IReadOnlyList<NtlmAvPair> echoed = NtlmChallengeMessage.ParseAvPairs(temp.AsSpan(28));
        Assert.Equal(2u, BitConverter.ToUInt32(echoed.Single(p => p.Id == NtlmAvId.Flags).Value.Span));
    }

    internal static byte[] TargetInfo(params (ushort Id, byte[] Value)[] pairs)
    {
        var bytes = new List<byte>();
        foreach ((ushort id, byte[] value) in pairs)
        {
            bytes.AddRange(BitConverter.GetBytes(id));
            bytes.AddRange(BitConverter.GetBytes((ushort)value.Length));
            bytes.AddRange(value);
        }

        bytes.AddRange(new byte[4]);
        return [.. bytes];
    }

    internal static byte[] Challenge(byte[] targetInfo)
    {
        byte[] message = new byte[56 + targetInfo.Length];
        "NTLMSSP\0"u8.CopyTo(message);
        message[8] = 2;
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(16), 56);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(20), (uint)NtlmNegotiateFlags.ClientRequested);
        message.AsSpan(24, 8).Fill(0x5A);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(40), (ushort)targetInfo.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(42), (ushort)targetInfo.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(44), 56);
        targetInfo.CopyTo(message, 56);
        return message;
    }
}
