using PasswordHashSync.Digest;
using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests.Hostile;

/// <summary>
/// Rule: a number read from untrusted text has exactly one spelling: ASCII digits, no leading zeros, no sign unless the
/// syntax has one (LDAP Integer, RFC 4517 3.3.16), no whitespace, no trailing NUL (which <c>int.TryParse</c> accepts),
/// and a value outside the field's range is refused rather than wrapped.
/// </summary>
public class HostileNumberTests
{
    private const string HashHex = "b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a";
    private const string Good = "v1;PPH1_MD4,181a3024085fcee2f70e,1000," + HashHex + ";";

    [Fact]
    public void The_audit_digest_matches_Pa_w0rd_so_the_refusals_below_are_about_the_spelling_only() =>
        Assert.True(SaltedDigestVerifier.Default.Verify("Pa$$w0rd", Good).Succeeded);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(6)]
    public void Trailing_NULs_after_the_iteration_count_are_refused(int nuls)
    {
        string wire = Good.Replace(",1000,", ",1000" + new string('\0', nuls) + ",", StringComparison.Ordinal);
        Assert.False(SaltedDigest.TryParse(wire, out _, out string? error));
        Assert.Contains("iteration count", error, StringComparison.Ordinal);
        Assert.Equal(DigestVerificationFailure.Malformed, SaltedDigestVerifier.Default.Verify("Pa$$w0rd", wire).Failure);
    }

    [Theory]
    [InlineData("\u00001000")]
    [InlineData(" 1000")]
    [InlineData("1000 ")]
    [InlineData("01000")]
    [InlineData("\u0661\u0660\u0660\u0660")] // Arabic-Indic digits
    [InlineData("\uFF11\uFF10\uFF10\uFF10")] // fullwidth digits
    [InlineData("1,000")]
    [InlineData("0")]
    public void Other_spellings_of_the_iteration_count_are_refused(string count) =>
        Assert.False(SaltedDigest.TryParse(Good.Replace(",1000,", "," + count + ",", StringComparison.Ordinal), out _));

    [Theory]
    [InlineData("userAccountControl: 512\0")]
    [InlineData("userAccountControl: 512 ")]
    [InlineData("userAccountControl: +512")]
    [InlineData("userAccountControl: 0512")]
    [InlineData("userAccountControl: -0")]
    [InlineData("userAccountControl: 4294967808")] // 2^32 + 512: would wrap to 512
    [InlineData("userAccountControl: -2147483649")]
    [InlineData("pwdLastSet: 0\0")]
    [InlineData("pwdLastSet: 9223372036854775808")]
    [InlineData("pwdLastSet: 1 3")]
    [InlineData("objectSid: S-1-5-21-1-2-3-1104\0")]
    [InlineData("objectSid: S-1-5-21-1-2-3-01104")]
    [InlineData("objectSid: S-1-5-21-1-2-3-+1104")]
    [InlineData("objectSid: S-1-5-21-1-2-3-4294967296")]
    [InlineData("objectSid: S-01-5-21-1-2-3-1104")]
    [InlineData("objectGUID: {6c0e7b5d-1f2a-4c3b-9d8e-7f6a5b4c3d2e}\0")]
    [InlineData("objectGUID: 6c0e7b5d1f2a4c3b9d8e7f6a5b4c3d2e\0")]
    public void Non_canonical_LDIF_numbers_are_format_errors(string line)
    {
        var ex = Assert.Throws<LdifFormatException>(() => LdifDirectoryReader.Read(new StringReader("dn: CN=a,DC=x\n" + line + "\n")).ToList());
        Assert.Equal(2, ex.LineNumber);
    }

    [Theory]
    [InlineData("userAccountControl: -2147483648", unchecked((int)0x80000000), null)]
    [InlineData("userAccountControl: 4294967295", -1, null)]
    [InlineData("userAccountControl: 0", 0, null)]
    [InlineData("pwdLastSet: -9223372036854775808", 0, long.MinValue)]
    [InlineData("pwdLastSet: 9223372036854775807", 0, long.MaxValue)]
    public void Canonical_LDIF_numbers_at_the_edges_are_read(string line, int userAccountControl, long? pwdLastSet)
    {
        DirectoryUser user = LdifDirectoryReader.Read(new StringReader("dn: CN=a,DC=x\n" + line + "\n")).Single();
        Assert.Equal(userAccountControl, (int)user.UserAccountControl);
        Assert.Equal(pwdLastSet, user.PwdLastSet);
    }

    [Fact]
    public void A_canonical_SID_text_gives_its_RID() =>
        Assert.Equal(1104u, LdifDirectoryReader.Read(new StringReader("dn: CN=a\nobjectSid: S-1-5-21-1-2-3-1104\n")).Single().Rid);

    [Theory]
    [InlineData("18\0")]
    [InlineData("018")]
    [InlineData("+18")]
    [InlineData("1\u00008")]
    public void Encryption_type_numbers_have_one_spelling(string text) =>
        Assert.False(KerberosEncryptionTypes.TryParse(text, out _));

    [Fact]
    public void Encryption_type_numbers_and_names_still_parse()
    {
        Assert.True(KerberosEncryptionTypes.TryParse("18", out KerberosEncryptionType t) && t == KerberosEncryptionType.Aes256CtsHmacSha196);
        Assert.True(KerberosEncryptionTypes.TryParse(" 23 ", out t) && t == KerberosEncryptionType.Rc4Hmac);
    }
}
