using System.Text.RegularExpressions;
using PasswordHashSync.Kerberos;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.BadInput;

/// <summary>Rule: bad input to Kerberos string-to-key gives a clear exception naming the parameter, or a Try result.</summary>
public class KerberosBadInputTests
{
    private static readonly byte[] Salt = "CONTOSO.COMAdministrator"u8.ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(16)] // des3-cbc-sha1-kd: AD never stores it, the library has no DES3
    [InlineData(24)]
    [InlineData(-128)]
    [InlineData(99)]
    public void Unknown_encryption_type_throws_naming_encryptionType(int number)
    {
        var type = (KerberosEncryptionType)number;
        Assert.False(KerberosEncryptionTypes.IsSupported(type));
        Assert.Throws<ArgumentOutOfRangeException>("encryptionType", () => KerberosKeyDerivation.DeriveKey(type, "pw", Salt, new byte[32]));
        Assert.Throws<ArgumentOutOfRangeException>("encryptionType", () => KerberosKeyDerivation.TryDeriveKey(type, "pw", Salt, new byte[32], out _));
        Assert.Throws<ArgumentOutOfRangeException>("encryptionType", () => KerberosKeyDerivation.DeriveKeys("pw", Salt, [type]));
        Assert.Throws<ArgumentOutOfRangeException>("encryptionType", () => KerberosKeyDerivation.DeriveKeyFromUtf16(type, "p\0"u8, Salt, new byte[32]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(1 << 24)] // MIT krb5's implementation limit: 2^24 and above are refused before any PBKDF2 work.
    [InlineData(int.MaxValue)]
    public void Iteration_count_outside_1_to_2_pow_24_minus_1_throws_naming_iterationCount(int iterations)
    {
        foreach (KerberosEncryptionType type in KerberosEncryptionTypes.All)
        {
            Assert.Throws<ArgumentOutOfRangeException>("iterationCount", () => KerberosKeyDerivation.DeriveKey(type, "pw", Salt, new byte[32], iterations));
        }

        Assert.Throws<ArgumentOutOfRangeException>("iterationCount", () => KerberosKeyDerivation.DeriveKeys("pw", Salt, [KerberosEncryptionType.Aes256CtsHmacSha196], iterations));
    }

    [Theory]
    [InlineData(KerberosEncryptionType.Aes256CtsHmacSha196, 31)]
    [InlineData(KerberosEncryptionType.Aes128CtsHmacSha196, 15)]
    [InlineData(KerberosEncryptionType.Aes256CtsHmacSha384192, 31)]
    [InlineData(KerberosEncryptionType.DesCbcMd5, 7)]
    [InlineData(KerberosEncryptionType.Rc4Hmac, 15)]
    public void Short_destination_is_refused(KerberosEncryptionType type, int length)
    {
        Assert.False(KerberosKeyDerivation.TryDeriveKey(type, "pw", Salt, new byte[length], out int written));
        Assert.Equal(0, written);
        Assert.Throws<ArgumentException>("destination", () => KerberosKeyDerivation.DeriveKey(type, "pw", Salt, new byte[length]));
        Assert.Throws<ArgumentException>("destination", () => KerberosKeyDerivation.DeriveKeyFromUtf16(type, "p\0"u8, Salt, new byte[length]));
    }

    [Fact]
    public void Null_password_or_salt_throws_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>("password", () => KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, null!, Salt));
        Assert.Throws<ArgumentNullException>("salt", () => KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, "pw", (byte[])null!));
    }

    [Fact]
    public void Odd_length_utf16_password_is_refused() =>
        Assert.Throws<ArgumentException>("utf16LittleEndianPassword", () => KerberosKeyDerivation.DeriveKeyFromUtf16(KerberosEncryptionType.Aes256CtsHmacSha196, new byte[5], Salt, new byte[32]));

    [Fact]
    public void Duplicate_type_in_a_key_set_is_refused() =>
        Assert.Throws<ArgumentException>("encryptionTypes", () => KerberosKeyDerivation.DeriveKeys("pw", Salt, [KerberosEncryptionType.Rc4Hmac, KerberosEncryptionType.Rc4Hmac]));

    [Theory]
    [InlineData(@"a\uD800b", @"a\uFFFDb")]
    [InlineData(@"\uDC00", @"\uFFFD")]
    [InlineData(@"x\uDBFF", @"x\uFFFD")]
    [InlineData(@"\uDC00\uD800", @"\uFFFD\uFFFD")]
    public void Aes_and_des_replace_lone_surrogates_with_U_FFFD_while_rc4_keeps_them(string escapedWithSurrogate, string escapedReplaced)
    {
        // Escaped because xunit theory data re-encodes lone surrogates.
        string withSurrogate = Regex.Unescape(escapedWithSurrogate);
        string replaced = Regex.Unescape(escapedReplaced);
        // MS-KILE 3.1.1.2: the UTF-16 password is converted to UTF-8; Windows substitutes U+FFFD (see the gMSA vector).
        foreach (KerberosEncryptionType type in new[] { KerberosEncryptionType.Aes256CtsHmacSha196, KerberosEncryptionType.Aes128CtsHmacSha256128, KerberosEncryptionType.DesCbcMd5 })
        {
            Assert.Equal(Key(type, replaced), Key(type, withSurrogate));
        }

        Assert.Equal(NtHash.Compute(withSurrogate), Key(KerberosEncryptionType.Rc4Hmac, withSurrogate));
        Assert.NotEqual(Key(KerberosEncryptionType.Rc4Hmac, replaced), Key(KerberosEncryptionType.Rc4Hmac, withSurrogate));
    }

    [Fact]
    public void Empty_password_and_empty_salt_are_valid_inputs()
    {
        foreach (KerberosEncryptionType type in KerberosEncryptionTypes.All)
        {
            Assert.Equal(KerberosEncryptionTypes.GetKeySize(type), KerberosKeyDerivation.DeriveKey(type, "", [], new byte[32], 1));
        }
    }

    [Fact]
    public void Huge_password_and_salt_use_pooled_buffers_and_still_match_the_reference()
    {
        // 100,000 characters (> the 512-byte stack buffer) and a 10 kB salt (> the RFC 8009 saltp stack buffer).
        string password = new('\u00e9', 100_000);
        byte[] salt = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();

        byte[] aes256 = new byte[32];
        KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, password, salt, aes256, 2);
        Assert.Equal(ReferenceDerivation.AesSha1Key(password, salt, 2, 32), aes256);

        byte[] sha384 = new byte[32];
        KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha384192, password, salt, sha384, 2);
        Assert.Equal(ReferenceDerivation.AesSha2Key(password, salt, 2, aes256: true), sha384);

        // DES has no independent reference here; the pooled path must at least agree with the UTF-8 entry point.
        byte[] des = new byte[8];
        KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.DesCbcMd5, password, salt, des);
        byte[] desReference = new byte[8];
        KerberosKeyDerivation.DeriveFromUtf8(KerberosEncryptionType.DesCbcMd5, System.Text.Encoding.UTF8.GetBytes(password), salt, 0, desReference);
        Assert.Equal(desReference, des);
    }

    [Theory]
    [InlineData(null, "user")]
    [InlineData("", "user")]
    [InlineData("contoso.com", null)]
    [InlineData("contoso.com", "")]
    public void Salt_builders_refuse_null_or_empty_parts(string? realm, string? name)
    {
        Assert.ThrowsAny<ArgumentException>(() => KerberosSalt.ForUser(realm!, name!));
        Assert.ThrowsAny<ArgumentException>(() => KerberosSalt.ForComputer(realm!, name!));
        Assert.ThrowsAny<ArgumentException>(() => KerberosSalt.ForTrust(realm!, name!));
    }

    [Fact]
    public void Salt_builders_refuse_a_name_that_is_only_a_dollar_sign()
    {
        Assert.Throws<ArgumentException>("computerName", () => KerberosSalt.ForComputer("contoso.com", "$"));
        Assert.Throws<ArgumentException>("trustAccountName", () => KerberosSalt.ForTrust("contoso.com", "$"));
        Assert.Throws<ArgumentOutOfRangeException>("accountType", () => KerberosSalt.For((KerberosAccountType)7, "contoso.com", "x"));
    }

    private static byte[] Key(KerberosEncryptionType type, string password)
    {
        byte[] key = new byte[KerberosEncryptionTypes.GetKeySize(type)];
        KerberosKeyDerivation.DeriveKey(type, password, Salt, key, 3);
        return key;
    }
}
