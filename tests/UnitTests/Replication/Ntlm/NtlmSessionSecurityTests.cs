using PasswordHashSync.Cryptography;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication.Ntlm;

/// <summary>Sealing round trips between a client and a server session, and every kind of tampering is refused.</summary>
public sealed class NtlmSessionSecurityTests
{
    private const NtlmNegotiateFlags Flags = NtlmNegotiateFlags.ClientRequested;
    private static readonly byte[] s_key = Convert.FromHexString("0f1e2d3c4b5a69788796a5b4c3d2e1f0");

    [Fact]
    public void ManyMessages_RoundTripInBothDirections_WithRunningRc4AndSequenceNumbers()
    {
        using var client = new NtlmSessionSecurity(s_key, Flags, isClient: true);
        using var server = new NtlmSessionSecurity(s_key, Flags, isClient: false);
        for (int i = 0; i < 20; i++)
        {
            byte[] original = Message(i);
            byte[] pdu = (byte[])original.Clone();
            byte[] signature = new byte[16];
            client.Seal(pdu, 24..^8, signature);
            Assert.Equal(original[..24], pdu[..24]); // the header is signed, not sealed
            Assert.NotEqual(original[24..^8], pdu[24..^8]);
            Assert.Equal((uint)i, BitConverter.ToUInt32(signature, 12));
            server.Unseal(pdu, 24..^8, signature);
            Assert.Equal(original, pdu);

            byte[] reply = Message(100 + i);
            byte[] replyOriginal = (byte[])reply.Clone();
            server.Seal(reply, 24..^8, signature);
            client.Unseal(reply, 24..^8, signature);
            Assert.Equal(replyOriginal, reply);
        }
    }

    [Theory]
    [InlineData(3)]   // a header byte: signed but not sealed
    [InlineData(30)]  // a sealed stub byte
    [InlineData(60)]  // the sec_trailer
    [InlineData(-5)]  // the checksum
    [InlineData(-1)]  // the sequence number
    [InlineData(-16)] // the signature version
    public void TamperedPdu_IsRefused(int position)
    {
        using var client = new NtlmSessionSecurity(s_key, Flags, isClient: true);
        using var server = new NtlmSessionSecurity(s_key, Flags, isClient: false);
        byte[] pdu = Message(1);
        byte[] signature = new byte[16];
        client.Seal(pdu, 24..^8, signature);
        if (position >= 0)
        {
            pdu[position] ^= 0x01;
        }
        else
        {
            signature[16 + position] ^= 0x01;
        }

        Assert.Throws<RpcSecurityException>(() => server.Unseal(pdu, 24..^8, signature));
    }

    [Fact]
    public void ReplayedOrReorderedPdu_IsRefused()
    {
        using var client = new NtlmSessionSecurity(s_key, Flags, isClient: true);
        using var server = new NtlmSessionSecurity(s_key, Flags, isClient: false);
        byte[] first = Message(1);
        byte[] second = Message(2);
        byte[] firstSignature = new byte[16];
        byte[] secondSignature = new byte[16];
        client.Seal(first, 24..^8, firstSignature);
        client.Seal(second, 24..^8, secondSignature);

        Assert.Throws<RpcSecurityException>(() => server.Unseal(second, 24..^8, secondSignature));
    }

    [Fact]
    public void WrongKey_IsRefused()
    {
        using var client = new NtlmSessionSecurity(s_key, Flags, isClient: true);
        byte[] other = (byte[])s_key.Clone();
        other[0] ^= 1;
        using var server = new NtlmSessionSecurity(other, Flags, isClient: false);
        byte[] pdu = Message(1);
        byte[] signature = new byte[16];
        client.Seal(pdu, 24..^8, signature);

        Assert.Throws<RpcSecurityException>(() => server.Unseal(pdu, 24..^8, signature));
    }

    [Fact]
    public void Rc4Stream_SplitAnyway_EqualsTheCoreOneShotRc4()
    {
        byte[] key = Convert.FromHexString("0102030405");
        byte[] data = new byte[1000];
        new Random(7).NextBytes(data);
        byte[] expected = new byte[data.Length];
        Rc4.Transform(key, data, expected); // BouncyCastle's RC4Engine, an independent implementation

        using var stream = new Rc4Stream(key);
        byte[] actual = (byte[])data.Clone();
        int offset = 0;
        foreach (int size in new[] { 1, 0, 7, 16, 255, 256, 465 })
        {
            stream.Transform(actual.AsSpan(offset, size));
            offset += size;
        }

        Assert.Equal(expected, actual);
    }

    private static byte[] Message(int seed)
    {
        // 24 header bytes, 32 stub + pad bytes, 8 trailer bytes.
        byte[] pdu = new byte[64];
        new Random(seed).NextBytes(pdu);
        return pdu;
    }
}
