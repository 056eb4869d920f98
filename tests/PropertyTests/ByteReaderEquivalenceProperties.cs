using System.Buffers.Text;
using System.Globalization;
using System.Text;
using FsCheck.Xunit;
using PasswordHashSync.Directory;
using PasswordHashSync.PropertyTests.LdifReference;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.PropertyTests;

/// <summary>
/// The byte-level LDIF reader (<see cref="LdifDirectoryReader"/>) against the char-based reader it replaced (the
/// test-only copy in <c>LdifReference/</c>), on the sample re-encoded at random (folding, base64, name case and
/// options, line endings, byte order marks, non-ASCII and lone-surrogate values, small limits) and mutated as text and
/// as bytes: the same users, field by field, up to the same exception with the same message.
/// </summary>
public class ByteReaderEquivalenceProperties
{
    private static readonly Lazy<string> s_sampleLdif = new(() => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif")));

    [Property(MaxTest = 400)]
    public void Byte_reader_equals_the_char_reader_on_reencoded_and_mutated_text(int seed)
    {
        var random = new Random(seed);
        string ldif = Reencode(s_sampleLdif.Value, random);
        if (random.Next(2) == 0)
        {
            ldif = MutateText(ldif, random);
        }

        LdifReaderOptions options = RandomLimits(random);
        Assert.Equal(Outcome(ReferenceLdifReader.Read(new StringReader(ldif), options)), Outcome(LdifDirectoryReader.Read(new StringReader(ldif), options)));

        // Streams: a lone surrogate cannot be UTF-8, so those inputs go through the text reader only.
        if (!HasLoneSurrogate(ldif))
        {
            byte[] bytes = Encode(ldif, random);
            Assert.Equal(Outcome(ReferenceLdifReader.Read(new MemoryStream(bytes), options)), Outcome(LdifDirectoryReader.Read(new MemoryStream(bytes), options)));
        }
    }

    [Property(MaxTest = 300)]
    public void Byte_reader_equals_the_char_reader_on_mutated_bytes(int seed)
    {
        var random = new Random(seed);
        var bytes = new List<byte>(Encode(Reencode(s_sampleLdif.Value, random), random));
        for (int edits = random.Next(1, 5); edits > 0; edits--)
        {
            int at = random.Next(bytes.Count);
            byte b = (byte)(random.Next(3) == 0 ? random.Next(256) : Pick("\r\n :<#=-\u00c3\u00a9\u00e2\u0080\u00ed\u00f0", random));
            switch (random.Next(3))
            {
                case 0: bytes.RemoveAt(at); break;
                case 1: bytes.Insert(at, b); break;
                default: bytes[at] = b; break;
            }
        }

        byte[] input = [.. bytes];
        LdifReaderOptions options = RandomLimits(random);
        Assert.Equal(Outcome(ReferenceLdifReader.Read(new MemoryStream(input), options)), Outcome(LdifDirectoryReader.Read(new MemoryStream(input), options)));
    }

    [Property(MaxTest = 100)]
    public async Task Async_byte_reader_equals_the_char_reader(int seed)
    {
        var random = new Random(seed);
        string ldif = MutateText(Reencode(s_sampleLdif.Value, random), random);
        LdifReaderOptions options = RandomLimits(random);
        var users = new List<DirectoryUser>();
        string? error = null;
        try
        {
            await foreach (DirectoryUser user in LdifDirectoryReader.ReadAsync(new StringReader(ldif), options))
            {
                users.Add(user);
            }
        }
        catch (LdifFormatException ex)
        {
            error = ex.Message;
        }

        Assert.Equal(Outcome(ReferenceLdifReader.Read(new StringReader(ldif), options)), [.. users.Select(Describe), .. error is null ? Array.Empty<string>() : ["error: " + error]]);
    }

    [Property(MaxTest = 2000)]
    public void Base64_checks_accept_what_Convert_accepts_and_decode_the_same_bytes(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int i = random.Next(0, 24); i > 0; i--)
        {
            const string alphabet = "AQgz+/09= \t\r\n-_\u00e9";
            text.Append(alphabet[random.Next(random.Next(3) == 0 ? alphabet.Length : 8)]);
        }

        if (random.Next(2) == 0)
        {
            text.Insert(0, Convert.ToBase64String(Encoding.UTF8.GetBytes(text.ToString())));
        }

        string value = text.ToString();
        byte[] expected = new byte[value.Length];
        bool valid = Convert.TryFromBase64Chars(value, expected, out int expectedLength);
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        Assert.Equal(valid, Base64.IsValid(utf8, out int decodedLength));
        if (valid)
        {
            Assert.Equal(expectedLength, decodedLength);
            byte[] actual = new byte[decodedLength];
            Assert.Equal(System.Buffers.OperationStatus.Done, Base64.DecodeFromUtf8(utf8, actual, out _, out int written));
            Assert.Equal(expected.AsSpan(0, expectedLength).ToArray(), actual.AsSpan(0, written).ToArray());
        }
    }

    [Property(MaxTest = 300)]
    public void Byte_lines_are_the_char_lines_in_UTF8(int seed)
    {
        var random = new Random(seed);
        string text = MutateText(Reencode(s_sampleLdif.Value, random), random);
        if (HasLoneSurrogate(text))
        {
            return;
        }

        byte[] bytes = Encode(text, random);
        var expected = new List<string>();
        var chars = new LdifLineReader(new MemoryStream(bytes), 100_000);
        while (chars.ReadLine())
        {
            expected.Add(chars.Line.ToString());
        }

        var actual = new List<string>();
        var lines = new LdifByteLineReader(new MemoryStream(bytes), 100_000);
        while (lines.ReadLine())
        {
            string line = Encoding.UTF8.GetString(lines.Line);
            Assert.Equal(line.Length, lines.LineUtf16Length);
            actual.Add(line);
        }

        Assert.Equal(expected, actual);
        Assert.Equal(chars.LineNumber, lines.LineNumber);
    }

    /// <summary>Every user, field by field (secrets as hex: test values only), then the exception's type and message.</summary>
    private static List<string> Outcome(IEnumerable<DirectoryUser> users)
    {
        var result = new List<string>();
        try
        {
            foreach (DirectoryUser user in users)
            {
                result.Add(Describe(user));
            }
        }
        catch (Exception ex) when (ex is LdifFormatException or ArgumentException or InvalidOperationException)
        {
            result.Add((ex is LdifFormatException ? "error: " : ex.GetType().Name + ": ") + ex.Message);
        }

        return result;
    }

    private static string Describe(DirectoryUser u) => string.Join(" | ",
        u.DistinguishedName, string.Join(",", u.ObjectClasses), u.SamAccountName ?? "-", u.UserPrincipalName ?? "-",
        Convert.ToHexString(u.ObjectSid.Span), u.Rid?.ToString(CultureInfo.InvariantCulture) ?? "-", u.ObjectGuid?.ToString() ?? "-", (int)u.UserAccountControl,
        u.PwdLastSet?.ToString(CultureInfo.InvariantCulture) ?? "-", u.AdminDescription ?? "-", Convert.ToHexString(u.NtHash.Span),
        Convert.ToHexString(u.SupplementalCredentials.Span), u.PasswordLastChanged?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "-");

    private static LdifReaderOptions RandomLimits(Random random) => random.Next(3) != 0
        ? new LdifReaderOptions()
        : new LdifReaderOptions
        {
            MaxLineLength = random.Next(40, 4000),
            MaxValueSize = random.Next(10, 3000),
            MaxRecordSize = random.Next(100, 6000),
            MaxValuesPerAttribute = random.Next(1, 6),
            MaxAttributesPerRecord = random.Next(1, 14),
        };

    private static byte[] Encode(string text, Random random) => random.Next(6) switch
    {
        0 => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
        1 => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
        2 => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)],
        _ => Encoding.UTF8.GetBytes(text),
    };

    private static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Reencode(string ldif, Random random)
    {
        string[] newlines = ["\n", "\r\n", "\r"];
        string newline = newlines[random.Next(random.Next(4) == 0 ? 3 : 1)];
        var output = new StringBuilder();
        foreach (string logical in LdifUnfolding.Unfold(ldif))
        {
            string line = logical;
            int colon = line.IndexOf(':');
            if (colon > 0 && random.Next(6) == 0)
            {
                // Name case and options: matched case-insensitively, options stripped.
                string name = line[..colon];
                name = random.Next(2) == 0 ? name.ToUpperInvariant() : name.ToLowerInvariant();
                line = name + (random.Next(3) == 0 ? ";binary" : string.Empty) + line[colon..];
            }

            if (colon > 0 && colon + 2 <= line.Length && line[colon + 1] == ' ' && random.Next(5) == 0)
            {
                string value = line[(colon + 2)..];
                if (random.Next(3) == 0)
                {
                    value += random.Next(4) switch { 0 => "\u00e9t\u00e9", 1 => "\u6f22\u5b57", 2 => "\ud83d\ude00", _ => "\ud800" };
                }

                string base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
                line = random.Next(2) == 0
                    ? line[..colon] + ":: " + base64 + (random.Next(4) == 0 ? "\t " : string.Empty)
                    : line[..colon] + ": " + value;
            }

            int width = random.Next(2, 120);
            output.Append(line.Length > width && random.Next(2) == 0 ? line[..width] + newline + " " + line[width..] : line).Append(newline);
        }

        return (random.Next(4) == 0 ? "version: 1" + newline + newline + "ref: ldap://elsewhere/DC=x" + newline + newline : string.Empty) + output;
    }

    private static string MutateText(string text, Random random)
    {
        var chars = new StringBuilder(text);
        for (int edits = random.Next(1, 6); edits > 0; edits--)
        {
            int at = random.Next(chars.Length);
            char c = Pick("\n :-<#=\0aZ9+/;\t\u00e9\u0131\u017f\ud800\udc00", random);
            switch (random.Next(3))
            {
                case 0: chars.Remove(at, 1); break;
                case 1: chars.Insert(at, c); break;
                default: chars[at] = c; break;
            }
        }

        return chars.ToString();
    }

    private static char Pick(string choices, Random random) => choices[random.Next(choices.Length)];
}
