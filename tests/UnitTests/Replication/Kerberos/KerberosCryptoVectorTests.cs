using System.Text;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Crypto;

namespace PasswordHashSync.UnitTests.Replication.Kerberos;

/// <summary>
/// The Kerberos ciphers against published vectors: RFC 3962 appendix B (AES-CTS), RFC 8009 appendix A (AES-SHA2 key
/// derivation, encryption with a fixed confounder, checksums), and MIT krb5's known-ciphertext table
/// (src/lib/crypto/crypto_tests/t_decrypt.c, krb5 commit 01f30a7) for AES-SHA1 and RC4-HMAC with key usages, and its
/// known-checksum table (t_cksums.c) for hmac-md5.
/// Values copied from those sources; none was computed with this code.
/// </summary>
public class KerberosCryptoVectorTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    // RFC 3962 appendix B: key "chicken teriyaki", zero IV, prefixes of this sentence.
    private const string CtsSentence = "I would like the General Gau's Chicken, please, and wonton soup.";

    [Theory]
    [InlineData(17, "c6353568f2bf8cb4d8a580362da7ff7f97")]
    [InlineData(31, "fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5")]
    [InlineData(32, "39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584")]
    [InlineData(47, "97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5")]
    [InlineData(48, "97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd839312523a78662d5be7fcbcc98ebf5a8")]
    [InlineData(64, "97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a84807efe836ee89a526730dbc2f7bc8409dad8bbb96c4cdc03bc103e1a194bbd8")]
    public void Aes_cts_matches_rfc3962_appendix_b(int length, string expectedHex)
    {
        byte[] key = Encoding.ASCII.GetBytes("chicken teriyaki");
        byte[] input = Encoding.ASCII.GetBytes(CtsSentence)[..length];
        byte[] output = new byte[length];
        AesCts.Encrypt(key, input, output);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(output));

        byte[] decrypted = new byte[length];
        AesCts.Decrypt(key, output, decrypted);
        Assert.Equal(input, decrypted);
    }

    private const string Aes128Sha256BaseKey = "3705D96080C17728A0E800EAB6E0D23C";
    private const string Aes256Sha384BaseKey = "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52";

    [Theory]
    // RFC 8009 appendix A, "Sample results for key derivation", key usage 2.
    [InlineData(Aes128Sha256BaseKey, 0x99, "B31A018A48F54776F403E9A396325DC3")]
    [InlineData(Aes128Sha256BaseKey, 0xAA, "9B197DD1E8C5609D6E67C3E37C62C72E")]
    [InlineData(Aes128Sha256BaseKey, 0x55, "9FDA0E56AB2D85E1569A688696C26A6C")]
    [InlineData(Aes256Sha384BaseKey, 0x99, "EF5718BE86CC84963D8BBB5031E9F5C4BA41F28FAF69E73D")]
    [InlineData(Aes256Sha384BaseKey, 0xAA, "56AB22BEE63D82D7BC5227F6773F8EA7A5EB1C825160C38312980C442E5C7E49")]
    [InlineData(Aes256Sha384BaseKey, 0x55, "69B16514E3CD8E56B82010D5C73012B622C4D00FFC23ED1F")]
    public void Aes_sha2_key_derivation_matches_rfc8009_appendix_a(string baseKey, int purpose, string expected)
    {
        byte[] key = Hex(baseKey);
        AesSha2Cipher cipher = key.Length == 16 ? AesSha2Cipher.Aes128 : AesSha2Cipher.Aes256;
        byte[] derived = new byte[expected.Length / 2];
        cipher.DeriveKey(key, 2, (byte)purpose, derived);
        Assert.Equal(expected, Convert.ToHexString(derived));
    }

    [Theory]
    // RFC 8009 appendix A, "Sample encryptions (all using the default cipher state)", key usage 2.
    [InlineData(Aes128Sha256BaseKey, "", "7E5895EAF2672435BAD817F545A37148", "EF85FB890BB8472F4DAB20394DCA781DAD877EDA39D50C870C0D5A0A8E48C718")]
    [InlineData(Aes128Sha256BaseKey, "000102030405", "7BCA285E2FD4130FB55B1A5C83BC5B24", "84D7F30754ED987BAB0BF3506BEB09CFB55402CEF7E6877CE99E247E52D16ED4421DFDF8976C")]
    [InlineData(Aes128Sha256BaseKey, "000102030405060708090A0B0C0D0E0F", "56AB21713FF62C0A1457200F6FA9948F", "3517D640F50DDC8AD3628722B3569D2AE07493FA8263254080EA65C1008E8FC295FB4852E7D83E1E7C48C37EEBE6B0D3")]
    [InlineData(Aes128Sha256BaseKey, "000102030405060708090A0B0C0D0E0F1011121314", "A7A4E29A4728CE10664FB64E49AD3FAC", "720F73B18D9859CD6CCB4346115CD336C70F58EDC0C4437C5573544C31C813BCE1E6D072C186B39A413C2F92CA9B8334A287FFCBFC")]
    [InlineData(Aes256Sha384BaseKey, "", "F764E9FA15C276478B2C7D0C4E5F58E4", "41F53FA5BFE7026D91FAF9BE959195A058707273A96A40F0A01960621AC612748B9BBFBE7EB4CE3C")]
    [InlineData(Aes256Sha384BaseKey, "000102030405", "B80D3251C1F6471494256FFE712D0B9A", "4ED7B37C2BCAC8F74F23C1CF07E62BC7B75FB3F637B9F559C7F664F69EAB7B6092237526EA0D1F61CB20D69D10F2")]
    [InlineData(Aes256Sha384BaseKey, "000102030405060708090A0B0C0D0E0F", "53BF8A0D105265D4E276428624CE5E63", "BC47FFEC7998EB91E8115CF8D19DAC4BBBE2E163E87DD37F49BECA92027764F68CF51F14D798C2273F35DF574D1F932E40C4FF255B36A266")]
    [InlineData(Aes256Sha384BaseKey, "000102030405060708090A0B0C0D0E0F1011121314", "763E65367E864F02F55153C7E3B58AF1", "40013E2DF58E8751957D2878BCD2D6FE101CCFD556CB1EAE79DB3C3EE86429F2B2A602AC86FEF6ECB647D6295FAE077A1FEB517508D2C16B4192E01F62")]
    public void Aes_sha2_encryption_matches_rfc8009_appendix_a(string baseKey, string plaintext, string confounder, string expected)
    {
        byte[] key = Hex(baseKey);
        KerberosCipher cipher = key.Length == 16 ? AesSha2Cipher.Aes128 : AesSha2Cipher.Aes256;
        byte[] ciphertext = cipher.Encrypt(key, 2, Hex(plaintext), Hex(confounder));
        Assert.Equal(expected, Convert.ToHexString(ciphertext));
        Assert.Equal(Hex(plaintext), cipher.Decrypt(key, 2, ciphertext));
    }

    [Theory]
    // RFC 8009 appendix A, "Sample checksums", key usage 2, plaintext 00 .. 14.
    [InlineData(Aes128Sha256BaseKey, "D78367186643D67B411CBA9139FC1DEE")]
    [InlineData(Aes256Sha384BaseKey, "45EE791567EEFCA37F4AC1E0222DE80D43C3BFA06699672A")]
    public void Aes_sha2_checksum_matches_rfc8009_appendix_a(string baseKey, string expected)
    {
        byte[] key = Hex(baseKey);
        KerberosCipher cipher = key.Length == 16 ? AesSha2Cipher.Aes128 : AesSha2Cipher.Aes256;
        byte[] data = Hex("000102030405060708090A0B0C0D0E0F1011121314");
        Assert.Equal(expected, Convert.ToHexString(cipher.GetChecksum(key, 2, data)));
        Assert.True(cipher.VerifyChecksum(key, 2, data, Hex(expected)));
        data[0] ^= 1;
        Assert.False(cipher.VerifyChecksum(key, 2, data, Hex(expected)));
    }

    [Theory]
    // MIT krb5 t_decrypt.c: (enctype, plaintext, key usage, key, ciphertext).
    [InlineData(17, "", 0, "5A5C0F0BA54F3828B2195E66CA24A289", "49FF8E11C173D9583A3254FBE7B1F1DF36C538E8416784A1672E6676")]
    [InlineData(17, "1", 1, "98450E3F3BAA13F5C99BEB936981B06F", "F86742F537B35DC2174A4DBAA920FAF9042090B065E1EBB1CAD9A65394")]
    [InlineData(17, "9 bytesss", 2, "9062430C8CDA3388922E6D6A509F5B7A", "68FB9679601F45C78857B2BF820FD6E53ECA8D42FD4B1D7024A09205ABB7CD2EC26C355D2F")]
    [InlineData(17, "13 bytes byte", 3, "033EE6502C54FD23E27791E987983827", "EC366D0327A933BF49330E650E49BC6B974637FE80BF532FE51795B4809718E6194724DB948D1FD637")]
    [InlineData(17, "30 bytes bytes bytes bytes byt", 4, "DCEEB70B3DE76562E689226C76429148", "C96081032D5D8EEB7E32B4089F789D0FAA481DEA74C0F97CBF3146DDFCF8E800156ECB532FC203E30FF600B63B350939FECE510F02D7FF1E7BAC")]
    [InlineData(18, "", 0, "17F275F2954F2ED1F90C377BA7F4D6A369AA0136E0BF0C927AD6133C693759A9", "E5094C55EE7B38262E2B044280B069379A95BF95BD8376FB3281B435")]
    [InlineData(18, "1", 1, "B9477E1FF0329C0050E20CE6C72D2DFF27E8FE541AB0954429A9CB5B4F7B1E2A", "406150B97AEB76D43B36B62CC1ECDFBE6F40E95755E0BEB5C27825F3A4")]
    [InlineData(18, "13 bytes byte", 3, "E5A72BE9B7926C1225BAFEF9C1872E7BA4CDB2B17893D84ABD90ACDD8764D966", "D8F1AAFEEC84587CC3E700A774E56651A6D693E174EC4473B5E6D96F80297A653FB818AD893E719F96")]
    [InlineData(18, "30 bytes bytes bytes bytes byt", 4, "F1C795E9248A09338D82C3F8D5B567040B0110736845041347235B1404231398", "D1137A4D634CFECE924DBC3BF6790648BD5CFF7DE0E7B99460211D0DAEF3D79A295C688858F3B34B9CBD6EEBAE81DAF6B734D4D498B6714F1C1D")]
    [InlineData(23, "", 0, "F81FEC39255F5784E850C4377C88BD85", "02C1EB15586144122EC717763DD348BF00434DDC6585954C")]
    // RC4-HMAC usages 1 (PA-ENC-TIMESTAMP) and 3 (AS-REP enc-part, which RFC 4757 section 3 maps to message type 8):
    // the two the RC4 pre-authentication uses.
    [InlineData(23, "1", 1, "67D1300D281223867F9647FF48721273", "6156E0CC04E0A0874F9FDA008F498A7ADBBC80B70B14DDDBC0")]
    [InlineData(23, "13 bytes byte", 3, "4BA2FBF0379FAED87A254D3B353D5A7E", "612C57568B17A70352BAE8CF26FB9459A6F3353CD35FD439DB3107CBEC765D326DFC04C1DD")]
    [InlineData(23, "9 bytesss", 2, "3E40AB6093695281B3AC1A9304224D98", "0F9AD121D99D4A09448E4F1F718C4F5CBE6096262C66F29DF232A87C9F98755D55")]
    [InlineData(23, "30 bytes bytes bytes bytes byt", 4, "68F263DB3FCE15D031C9EAB02D67107A", "95F9047C3AD75891C2E9B04B16566DC8B6EB9CE4231AFB2542EF87A7B5A0F260A99F0460508DE0CECC632D07C354124E46C5D2234EB8")]
    public void Mit_known_ciphertexts_decrypt(int encryptionType, string plaintext, int usage, string key, string ciphertext)
    {
        KerberosCipher cipher = KerberosCiphers.Get(encryptionType, allowRc4: true);
        byte[] decrypted = cipher.Decrypt(Hex(key), usage, Hex(ciphertext));
        Assert.Equal(plaintext, Encoding.ASCII.GetString(decrypted));

        // Any flipped bit, and the wrong usage, fail the integrity check with the documented exception.
        byte[] tampered = Hex(ciphertext);
        tampered[^1] ^= 0x80;
        Assert.Equal(31, Assert.Throws<KerberosException>(() => cipher.Decrypt(Hex(key), usage, tampered)).ErrorCode);
        Assert.Throws<KerberosException>(() => cipher.Decrypt(Hex(key), usage + 1, Hex(ciphertext)));
    }

    [Fact]
    public void Hmac_md5_checksum_matches_mit_t_cksums()
    {
        // MIT krb5 t_cksums.c (commit 01f30a7): CKSUMTYPE_HMAC_MD5_ARCFOUR (-138), ENCTYPE_ARCFOUR_HMAC, key usage 6 (the
        // TGS-REQ authenticator checksum over the request body, which an RC4 TGT session key uses).
        KerberosCipher cipher = KerberosCiphers.Get(23, allowRc4: true);
        byte[] key = Hex("F7D3A155AF5E238A0B7A871A96BA2AB2");
        byte[] data = Encoding.ASCII.GetBytes("seventeen eighteen nineteen twenty");
        Assert.Equal(-138, cipher.ChecksumType);
        Assert.Equal("EB38CC97E2230F59DA4117DC5859D7EC", Convert.ToHexString(cipher.GetChecksum(key, 6, data)));
        Assert.False(cipher.VerifyChecksum(key, 7, data, Hex("EB38CC97E2230F59DA4117DC5859D7EC")));
    }

    [Fact]
    public void Rc4_is_refused_unless_enabled()
    {
        Assert.Null(KerberosCiphers.Find(23, allowRc4: false));
        Assert.Equal(14, Assert.Throws<KerberosException>(() => KerberosCiphers.Get(23, allowRc4: false)).ErrorCode);
        Assert.DoesNotContain(PasswordHashSync.Kerberos.KerberosEncryptionType.Rc4Hmac, KerberosCiphers.Offered(allowRc4: false));
    }

    [Theory]
    [InlineData(17)]
    [InlineData(18)]
    [InlineData(19)]
    [InlineData(20)]
    [InlineData(23)]
    public void Encrypt_then_decrypt_round_trips_at_every_length(int encryptionType)
    {
        KerberosCipher cipher = KerberosCiphers.Get(encryptionType, allowRc4: true);
        byte[] key = new byte[cipher.KeySize];
        Random.Shared.NextBytes(key);
        for (int length = 0; length <= 70; length++)
        {
            byte[] plaintext = new byte[length];
            Random.Shared.NextBytes(plaintext);
            byte[] ciphertext = cipher.Encrypt(key, 7, plaintext);
            Assert.Equal(cipher.GetCiphertextLength(length), ciphertext.Length);
            Assert.Equal(plaintext, cipher.Decrypt(key, 7, ciphertext));
        }
    }
}
