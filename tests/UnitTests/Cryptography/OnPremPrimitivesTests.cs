using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Cryptography;

namespace PasswordHashSync.UnitTests.Cryptography;

public class OnPremPrimitivesTests
{
    [Theory]
    [InlineData("", "00000000")]
    [InlineData("123456789", "cbf43926")] // The CRC-32/ISO-HDLC check value (reveng catalogue).
    [InlineData("The quick brown fox jumps over the lazy dog", "414fa339")]
    public void Crc32_published_check_values(string input, string expected) =>
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(input)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Crc32_matches_a_bitwise_reference_on_every_length_up_to_300()
    {
        byte[] data = new byte[300];
        new Random(7).NextBytes(data);
        for (int length = 0; length <= data.Length; length++)
        {
            Assert.Equal(BitwiseCrc32(data.AsSpan(0, length)), Crc32.Compute(data.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Md5_managed_equals_the_platform_md5()
    {
        byte[] data = new byte[1000];
        new Random(3).NextBytes(data);
        for (int split = 0; split < data.Length; split += 97)
        {
            byte[] managed = new byte[16];
            Md5.HashData(data.AsSpan(0, split), data.AsSpan(split), managed);
#pragma warning disable CA5351 // The platform MD5 is the independent oracle here.
            Assert.Equal(MD5.HashData(data), managed);
#pragma warning restore CA5351
        }
    }

    [Fact]
    public void Rc4_rfc6229_key_0102030405_first_keystream_bytes()
    {
        // RFC 6229 section 2, 40-bit key 0x0102030405, DEC 0: b2 39 63 05 f0 3d c0 27 cc c3 52 4a 0a 11 18 a8.
        byte[] output = new byte[16];
        Rc4.Transform(Convert.FromHexString("0102030405"), new byte[16], output);
        Assert.Equal("b2396305f03dc027ccc3524a0a1118a8", Convert.ToHexStringLower(output));
    }

    [Fact]
    public void RidDes_encrypt_then_decrypt_is_identity_and_matches_the_published_rid_500_vector()
    {
        // Reference notes 5.2: after the envelope, b9c493e4... decrypts under RID 500 to NT("Pa$$w0rd").
        byte[] layer1 = Convert.FromHexString("b9c493e4a12818eed2fc0d2d731595cb");
        byte[] plain = new byte[16];
        RidDes.Transform(false, 500, layer1, plain);
        Assert.Equal("92937945b518814341de3f726500d4ff", Convert.ToHexStringLower(plain));
        byte[] again = new byte[16];
        RidDes.Transform(true, 500, plain, again);
        Assert.Equal(layer1, again);
    }

    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }
}
