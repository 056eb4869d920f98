using System.Text;
using PasswordHashSync.Directory;

namespace PasswordHashSync.UnitTests.Hostile;

/// <summary>
/// Rule: the LDIF reader takes hostile input (huge values, deep folding, bad UTF-8, lone surrogates) with
/// <see cref="LdifFormatException"/> or a correct result, never another exception type and never a silent change of a value.
/// </summary>
public class HostileLdifTests
{
    private static List<DirectoryUser> Read(string ldif) => [.. LdifDirectoryReader.Read(new StringReader(ldif))];

    [Fact]
    public void Null_arguments_name_the_parameter()
    {
        Assert.Throws<ArgumentNullException>("reader", () => LdifDirectoryReader.Read((TextReader)null!));
        Assert.Throws<ArgumentNullException>("stream", () => LdifDirectoryReader.Read((Stream)null!));
        Assert.Throws<ArgumentNullException>("path", () => LdifDirectoryReader.ReadFile(null!));
        Assert.Throws<ArgumentException>("path", () => LdifDirectoryReader.ReadFile(string.Empty));
        Assert.Throws<ArgumentNullException>("reader", () => LdifDirectoryReader.ReadAsync(null!));
        Assert.Throws<ArgumentNullException>("path", () => LdifDirectoryReader.ReadFileAsync(null!));
    }

    [Fact]
    public void Empty_input_gives_no_objects() => Assert.Empty(Read(string.Empty));

    [Fact]
    public void A_10_MiB_base64_value_is_read_whole()
    {
        byte[] big = new byte[10 << 20];
        new Random(1).NextBytes(big);
        List<DirectoryUser> users = Read("dn: CN=big\nsupplementalCredentials:: " + Convert.ToBase64String(big) + "\n");
        Assert.Equal(big, users.Single().SupplementalCredentials.ToArray());
    }

    [Fact]
    public void A_value_folded_over_100000_lines_is_unfolded_correctly()
    {
        // Reference: the unfolding written out by hand: every continuation line adds its text after the leading space.
        var ldif = new StringBuilder("dn: CN=folded\nadminDescription: x");
        var expected = new StringBuilder("x");
        for (int i = 0; i < 100_000; i++)
        {
            ldif.Append("\n ").Append((char)('a' + (i % 26)));
            expected.Append((char)('a' + (i % 26)));
        }

        Assert.Equal(expected.ToString(), Read(ldif.Append('\n').ToString()).Single().AdminDescription);
    }

    [Fact]
    public void Invalid_UTF8_in_a_stream_gives_the_format_exception_not_DecoderFallbackException()
    {
        byte[] bytes = [.. "dn: CN=a\nsAMAccountName: a"u8, 0xC3, 0x28, .. "\n"u8];
        // The decoder reads a buffer ahead, so the message can only say "after line N" (here 0: the first buffer).
        var ex = Assert.Throws<LdifFormatException>(() => LdifDirectoryReader.Read(new MemoryStream(bytes)).ToList());
        Assert.Contains("not valid UTF-8", ex.Message, StringComparison.Ordinal);
        Assert.IsType<DecoderFallbackException>(ex.InnerException);
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_file_read_asynchronously_gives_the_format_exception()
    {
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, [.. "dn: CN=a\ncn: "u8, 0xFF, .. "\n"u8]);
            await Assert.ThrowsAsync<LdifFormatException>(async () =>
            {
                await foreach (DirectoryUser user in LdifDirectoryReader.ReadFileAsync(path))
                {
                    Assert.Fail($"no object expected, got {user}");
                }
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_lone_surrogate_in_a_text_value_gives_the_format_exception_not_U_FFFD()
    {
        // Encoding.UTF8 would silently turn the lone surrogate into U+FFFD: a different account name.
        var ex = Assert.Throws<LdifFormatException>(() => Read("dn: CN=a\nsAMAccountName: ab\uD800\n"));
        Assert.Equal(2, ex.LineNumber);
    }

    [Fact]
    public void Malformed_base64_of_unicodePwd_never_shows_the_value()
    {
        const string Secret = "QUJDREVGR0hJSktMTU5PUA*=";
        var ex = Assert.Throws<LdifFormatException>(() => Read("dn: CN=a\nunicodePwd:: " + Secret + "\n"));
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("QUJDREVGR0hJSktM", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_NT_hash_of_the_wrong_length_never_shows_the_hash()
    {
        const string Hex = "0123456789abcdef0123456789abcdef01";
        string base64 = Convert.ToBase64String(Convert.FromHexString(Hex));
        var ex = Assert.Throws<LdifFormatException>(() => Read("dn: CN=a\nunicodePwd:: " + base64 + "\n"));
        Assert.DoesNotContain(base64, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Hex[..16], ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("dn: CN=a\nuserAccountControl: 99999999999999999999999\n")]
    [InlineData("dn: CN=a\npwdLastSet: -\n")]
    [InlineData("dn: CN=a\nobjectSid: S-1-99999999999999999999-1\n")]
    [InlineData("dn: CN=a\nobjectSid:: AQ==\n")]
    [InlineData("dn: CN=a\nobjectSid:: Af8AAAAAAAU=\n")]
    [InlineData("dn: CN=a\nobjectGUID:: AAAA\n")]
    [InlineData("dn: CN=a\nobjectGUID: not-a-guid\n")]
    [InlineData(" continuation first\n")]
    [InlineData("dn: CN=a\nno colon here\n")]
    [InlineData("dn: CN=a\n:empty name\n")]
    [InlineData("version: 2\n")]
    [InlineData("dn: CN=a\ncn:< file:///etc/passwd\n")]
    [InlineData("dn: CN=a\nchangetype: modify\n")]
    [InlineData("cn: x\n")]
    public void Malformed_records_give_the_format_exception(string ldif) =>
        Assert.Throws<LdifFormatException>(() => Read(ldif));

    [Fact]
    public void Extreme_but_valid_integers_do_not_overflow()
    {
        DirectoryUser user = Read("dn: CN=a\nuserAccountControl: -1\npwdLastSet: 9223372036854775807\n").Single();
        Assert.Equal((UserAccountControl)(-1), user.UserAccountControl);
        Assert.Equal(long.MaxValue, user.PwdLastSet);
        Assert.Null(user.PasswordLastChanged);
    }

    [Fact]
    public void DirectoryUser_ToString_never_shows_the_NT_hash_or_supplementalCredentials()
    {
        byte[] hash = Convert.FromHexString("c0ffeec0ffeec0ffeec0ffeec0ffeec0");
        var user = new DirectoryUser { DistinguishedName = "CN=a", SamAccountName = "a", NtHash = hash, SupplementalCredentials = hash };
        string text = user.ToString();
        Assert.DoesNotContain("c0ffee", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(hash), text, StringComparison.Ordinal);
    }
}
