using System.Text;
using PasswordHashSync.Directory;

namespace PasswordHashSync.UnitTests.Hostile;

/// <summary>
/// Rule: a byte stream is UTF-8 (a UTF-8 byte order mark is skipped) or, with a UTF-16 byte order mark, strict UTF-16;
/// a UTF-32 byte order mark and any bytes that do not decode (a lone surrogate, a truncated last character) are an
/// <see cref="LdifFormatException"/>. A value, and so a Kerberos salt built from it, is never silently changed to U+FFFD.
/// </summary>
public class HostileLdifEncodingTests
{
    private const string Ldif = "dn: CN=M\u00fcller,DC=x\nsAMAccountName: m\u00fcller\U0001F600\n";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UTF16_with_a_byte_order_mark_reads_the_same_values_as_UTF8(bool bigEndian)
    {
        byte[] bytes = [.. new UnicodeEncoding(bigEndian, true).GetPreamble(), .. new UnicodeEncoding(bigEndian, false).GetBytes(Ldif)];
        DirectoryUser user = LdifDirectoryReader.Read(new MemoryStream(bytes)).Single();
        Assert.Equal("m\u00fcller\U0001F600", user.SamAccountName);
        Assert.Equal("CN=M\u00fcller,DC=x", user.DistinguishedName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_lone_surrogate_in_UTF16_is_refused_not_replaced(bool bigEndian)
    {
        // The audit's case: "alice" followed by a lone high surrogate, which a replacing decoder turns into U+FFFD.
        var encoding = new UnicodeEncoding(bigEndian, false, false);
        byte[] bytes = [.. encoding.GetPreamble(), .. new UnicodeEncoding(bigEndian, true).GetPreamble(),
            .. encoding.GetBytes("dn: CN=a\nsAMAccountName: alice"), .. bigEndian ? new byte[] { 0xD8, 0x00 } : [0x00, 0xD8], .. encoding.GetBytes("\n")];
        var ex = Assert.Throws<LdifFormatException>(() => LdifDirectoryReader.Read(new MemoryStream(bytes)).ToList());
        Assert.Contains(bigEndian ? "UTF-16BE" : "UTF-16LE", ex.Message, StringComparison.Ordinal);
        Assert.IsType<DecoderFallbackException>(ex.InnerException);
    }

    [Fact]
    public void An_odd_byte_count_after_a_UTF16_mark_is_refused()
    {
        byte[] bytes = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("dn: CN=a\n"), 0x41];
        Assert.Throws<LdifFormatException>(() => LdifDirectoryReader.Read(new MemoryStream(bytes)).ToList());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_UTF32_byte_order_mark_is_refused(bool bigEndian)
    {
        var utf32 = new UTF32Encoding(bigEndian, true);
        byte[] bytes = [.. utf32.GetPreamble(), .. utf32.GetBytes(Ldif)];
        var ex = Assert.Throws<LdifFormatException>(() => LdifDirectoryReader.Read(new MemoryStream(bytes)).ToList());
        Assert.Contains("UTF-32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_UTF8_byte_order_mark_is_skipped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Ldif)];
        Assert.Equal("m\u00fcller\U0001F600", LdifDirectoryReader.Read(new MemoryStream(bytes)).Single().SamAccountName);
    }

    [Fact]
    public void A_file_with_a_UTF16_lone_surrogate_is_refused_too()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("dn: CN=a\nsAMAccountName: a"), 0x00, 0xDC, .. Encoding.Unicode.GetBytes("\n")]);
            Assert.Throws<LdifFormatException>(() => LdifDirectoryReader.ReadFile(path).ToList());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("dn: CN=a\r\nsAMAccountName: a\r\n\r\ndn: CN=b\r\nsAMAccountName: b")]
    [InlineData("dn: CN=a\rsAMAccountName: a\r\rdn: CN=b\rsAMAccountName: b\r")]
    [InlineData("dn: CN=a\nsAMAccountName: a\n\ndn: CN=b\nsAMAccountName: b\n\n\n")]
    public void Line_endings_split_as_TextReader_ReadLine_does(string ldif)
    {
        List<DirectoryUser> fromStream = [.. LdifDirectoryReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(ldif)))];
        Assert.Equal(["a", "b"], fromStream.Select(u => u.SamAccountName));
        Assert.Equal(["a", "b"], LdifDirectoryReader.Read(new StringReader(ldif)).Select(u => u.SamAccountName));
    }

    [Fact]
    public void A_CRLF_split_across_the_read_buffer_is_one_line_ending()
    {
        // The reader fills 32 Ki characters at a time; put the CR as the last character of the first buffer.
        string head = "dn: CN=a\nadminDescription: ";
        string ldif = head + new string('x', (32 * 1024) - head.Length - 1) + "\r\nsAMAccountName: a\r\n";
        DirectoryUser user = LdifDirectoryReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(ldif))).Single();
        Assert.Equal("a", user.SamAccountName);
        Assert.Equal(LdifDirectoryReader.Read(new StringReader(ldif)).Single().AdminDescription, user.AdminDescription);
    }
}
