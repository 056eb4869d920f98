using System.Buffers.Binary;
using PasswordHashSync.Replication.Kerberos.Crypto;
using PasswordHashSync.Replication.Kerberos.Gss;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication.Kerberos;

/// <summary>
/// RFC 4121 4.2.6.2 wrap tokens in the DCE style of MS-KILE 3.4.5.4.1, checked against the rules of those texts:
/// header layout (05 04, flags, FF, EC, RRC, SND_SEQ big-endian), the 76-byte AES-SHA1 auth_value Samba sends (EC 16,
/// RRC 28), and that rotating auth_value[16..] | data left by RRC + EC gives a standard RFC 3961 ciphertext of
/// data | EC filler | header-with-RRC-0 under the initiator seal usage (24). The cipher underneath is proven by the
/// published vectors in <see cref="KerberosCryptoVectorTests"/>.
/// </summary>
public class CfxWrapTokenTests
{
    private static readonly byte[] s_key = Convert.FromHexString("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");

    [Fact]
    public void Sealed_token_has_the_rfc4121_header_and_the_dce_layout()
    {
        byte[] data = new byte[48];
        Random.Shared.NextBytes(data);
        byte[] original = (byte[])data.Clone();
        byte[] authValue = new byte[CfxWrapToken.GetAuthValueLength(AesSha1Cipher.Aes256)];
        Assert.Equal(76, authValue.Length);

        CfxWrapToken.Seal(AesSha1Cipher.Aes256, s_key, KerberosKeyUsage.InitiatorSeal, 0x06, 0x1234_5678, data, authValue);

        Assert.Equal(new byte[] { 0x05, 0x04, 0x06, 0xFF }, authValue[..4]);
        Assert.Equal(16, BinaryPrimitives.ReadUInt16BigEndian(authValue.AsSpan(4)));
        Assert.Equal(28, BinaryPrimitives.ReadUInt16BigEndian(authValue.AsSpan(6)));
        Assert.Equal(0x1234_5678UL, BinaryPrimitives.ReadUInt64BigEndian(authValue.AsSpan(8)));
        Assert.NotEqual(original, data);

        // Undo the DCE rotation by hand and decrypt as a plain RFC 3961 ciphertext.
        byte[] rotated = [.. authValue[16..], .. data];
        int shift = 28 + 16;
        byte[] ciphertext = [.. rotated[shift..], .. rotated[..shift]];
        byte[] plaintext = AesSha1Cipher.Aes256.Decrypt(s_key, 24, ciphertext);
        Assert.Equal(48 + 16 + 16, plaintext.Length);
        Assert.Equal(original, plaintext[..48]);
        byte[] headerCopy = plaintext[64..];
        Assert.Equal(authValue[..6], headerCopy[..6]);
        Assert.Equal(new byte[] { 0, 0 }, headerCopy[6..8]); // RRC is 0 inside the encrypted copy
        Assert.Equal(authValue[8..16], headerCopy[8..]);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(18)]
    [InlineData(19)]
    [InlineData(20)]
    public void Acceptor_token_unseals_and_any_change_is_refused(int encryptionType)
    {
        KerberosCipher cipher = KerberosCiphers.Get(encryptionType, allowRc4: false);
        byte[] key = s_key[..cipher.KeySize];
        byte[] data = new byte[64];
        Random.Shared.NextBytes(data);
        byte[] original = (byte[])data.Clone();
        byte[] authValue = new byte[CfxWrapToken.GetAuthValueLength(cipher)];
        const byte AcceptorFlags = 0x07;
        CfxWrapToken.Seal(cipher, key, KerberosKeyUsage.AcceptorSeal, AcceptorFlags, 42, data, authValue);

        byte[] roundTrip = (byte[])data.Clone();
        CfxWrapToken.Unseal(cipher, key, KerberosKeyUsage.AcceptorSeal, 0x03, 42, roundTrip, authValue);
        Assert.Equal(original, roundTrip);

        // Wrong sequence number, wrong usage (an initiator token), missing SentByAcceptor, any flipped byte.
        Assert.Throws<RpcSecurityException>(() => CfxWrapToken.Unseal(cipher, key, KerberosKeyUsage.AcceptorSeal, 0x03, 43, (byte[])data.Clone(), authValue));
        Assert.Throws<RpcSecurityException>(() => CfxWrapToken.Unseal(cipher, key, KerberosKeyUsage.InitiatorSeal, 0x03, 42, (byte[])data.Clone(), authValue));
        byte[] initiatorFlags = (byte[])authValue.Clone();
        initiatorFlags[2] = 0x06;
        Assert.Throws<RpcSecurityException>(() => CfxWrapToken.Unseal(cipher, key, KerberosKeyUsage.AcceptorSeal, 0x03, 42, (byte[])data.Clone(), initiatorFlags));
        for (int i = 0; i < authValue.Length + data.Length; i++)
        {
            byte[] tamperedData = (byte[])data.Clone();
            byte[] tamperedAuth = (byte[])authValue.Clone();
            if (i < authValue.Length)
            {
                tamperedAuth[i] ^= 0x01;
            }
            else
            {
                tamperedData[i - authValue.Length] ^= 0x01;
            }

            Assert.Throws<RpcSecurityException>(() => CfxWrapToken.Unseal(cipher, key, KerberosKeyUsage.AcceptorSeal, 0x03, 42, tamperedData, tamperedAuth));
        }
    }

    [Fact]
    public void Receiver_honours_another_extra_count()
    {
        // MS-KILE 3.4.5.4.1: the receiver must accept whatever EC the sender chose. Build an EC = 0 token by hand
        // (as old MIT code sends): ciphertext of data | header(RRC 0), rotated right by RRC + EC = 28.
        byte[] data = new byte[32];
        Random.Shared.NextBytes(data);
        byte[] header = [0x05, 0x04, 0x07, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9];
        byte[] ciphertext = AesSha1Cipher.Aes256.Encrypt(s_key, 22, [.. data, .. header]);
        int shift = 28;
        byte[] rotated = [.. ciphertext[^shift..], .. ciphertext[..^shift]];
        byte[] onWireHeader = (byte[])header.Clone();
        onWireHeader[7] = 28;
        int authLength = rotated.Length - data.Length;
        byte[] authValue = [.. onWireHeader, .. rotated[..authLength]];
        byte[] sealedData = rotated[authLength..];

        CfxWrapToken.Unseal(AesSha1Cipher.Aes256, s_key, 22, 0x03, 9, sealedData, authValue);
        Assert.Equal(data, sealedData);
    }

    [Fact]
    public void Gss_checksum_carries_length_16_zero_bindings_and_the_dce_flags()
    {
        byte[] value = GssChecksum.Encode(GssChecksum.DcePrivacyFlags);
        Assert.Equal("10000000" + new string('0', 32) + "3E100000", Convert.ToHexString(value));
    }
}
