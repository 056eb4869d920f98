using System.Text.RegularExpressions;
using Org.BouncyCastle.Crypto.Digests;

namespace PasswordHashSync.UnitTests.BadInput;

/// <summary>Rule: bad input to NtHash / LmHash gives a clear exception naming the parameter, or a Try result.</summary>
public class HashBadInputTests
{
    [Fact]
    public void NtHash_null_password_throws_ArgumentNullException() =>
        Assert.Throws<ArgumentNullException>("password", () => NtHash.Compute(null!));

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    public void NtHash_short_destination_is_refused(int length)
    {
        Assert.False(NtHash.TryCompute("x", new byte[length], out int written));
        Assert.Equal(0, written);
        Assert.Throws<ArgumentException>("destination", () => NtHash.Compute("x", new byte[length]));
        Assert.Throws<ArgumentException>("destination", () => NtHash.ComputeFromUtf16("x\0"u8, new byte[length]));
    }

    [Fact]
    public void NtHash_writes_only_16_bytes_of_a_larger_destination()
    {
        byte[] destination = Enumerable.Repeat((byte)0xAA, 20).ToArray();
        Assert.Equal(16, NtHash.Compute("x", destination));
        Assert.All(destination[16..], b => Assert.Equal(0xAA, b));
    }

    [Fact]
    public void NtHash_odd_length_utf16_is_refused() =>
        Assert.Throws<ArgumentException>("utf16LittleEndianPassword", () => NtHash.ComputeFromUtf16(new byte[3], new byte[16]));

    [Fact]
    public void NtHash_of_a_huge_password_equals_BouncyCastle_md4()
    {
        // No length limit: 1 MiB of UTF-16 (several MD4 blocks and a non-aligned tail).
        string password = string.Create(524_289, 0, static (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });
        Assert.Equal(ReferenceMd4(password), NtHash.Compute(password));
    }

    // Strings with lone surrogates cannot travel through xunit's theory data (it re-encodes them as U+FFFD), so
    // they are written as escapes and unescaped inside the test.
    [Theory]
    [InlineData(@"\uD800")]
    [InlineData(@"\uDC00")]
    [InlineData(@"a\uDBFFb\uDFFF")]
    [InlineData(@"\uDC00\uD800")]
    [InlineData(@"nul\u0000inside")]
    public void NtHash_keeps_lone_surrogates_and_NULs_as_code_units(string escaped)
    {
        // AD hashes machine/gMSA passwords as raw UTF-16 code units; nothing may be replaced or dropped.
        string password = Regex.Unescape(escaped);
        Assert.Equal(ReferenceMd4(password), NtHash.Compute(password));
        string sanitized = new(password.Select(c => char.IsSurrogate(c) ? '\uFFFD' : c).Where(c => c != '\0').ToArray());
        Assert.NotEqual(NtHash.Compute(sanitized), NtHash.Compute(password));
    }

    [Fact]
    public void LmHash_null_password_throws_ArgumentNullException() =>
        Assert.Throws<ArgumentNullException>("password", () => LmHash.Compute(null!));

    [Theory]
    [InlineData("123456789012345")]
    [InlineData("a very long password indeed")]
    public void LmHash_over_14_characters_has_no_hash(string password)
    {
        Assert.False(LmHash.TryCompute(password, 437, new byte[16], out int written));
        Assert.Equal(0, written);
        Assert.Throws<ArgumentException>(nameof(password), () => LmHash.Compute(password));
    }

    [Fact]
    public void LmHash_of_exactly_14_characters_is_computed() =>
        Assert.True(LmHash.TryCompute("ABCDEFGHIJKLMN", 437, new byte[16], out _));

    [Theory]
    [InlineData("\u4e2d")] // CJK: no cp437 byte, not even by best fit
    [InlineData(@"\uD800")] // a lone surrogate
    [InlineData(@"\uD83D\uDD11")] // an astral symbol (a surrogate pair that best-fit turns into "??")
    [InlineData(@"ab\uD83D\uDD11")]
    [InlineData(@"\u20AC")] // euro sign: not in cp437
    public void LmHash_of_characters_cp437_cannot_represent_has_no_hash(string escaped)
    {
        string password = Regex.Unescape(escaped);
        Assert.False(LmHash.TryCompute(password, 437, new byte[16], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void LmHash_of_a_real_question_mark_is_computed() =>
        Assert.True(LmHash.TryCompute("?", 437, new byte[16], out _));

    [Fact]
    public void LmHash_short_destination_throws_naming_destination() =>
        Assert.Throws<ArgumentException>("destination", () => LmHash.TryCompute("x", 437, new byte[15], out _));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(99999)]
    public void LmHash_unknown_code_page_throws_naming_oemCodePage(int codePage) =>
        Assert.Throws<ArgumentOutOfRangeException>("oemCodePage", () => LmHash.Compute("x", codePage));

    private static byte[] ReferenceMd4(string password)
    {
        // Independent path: per-char little-endian bytes and BouncyCastle's MD4.
        byte[] bytes = new byte[password.Length * 2];
        for (int i = 0; i < password.Length; i++)
        {
            bytes[2 * i] = (byte)password[i];
            bytes[(2 * i) + 1] = (byte)(password[i] >> 8);
        }

        var md4 = new MD4Digest();
        md4.BlockUpdate(bytes, 0, bytes.Length);
        byte[] hash = new byte[16];
        md4.DoFinal(hash, 0);
        return hash;
    }
}
