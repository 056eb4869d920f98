using System.Text;
using PasswordHashSync.Directory;

namespace PasswordHashSync.UnitTests.Hostile;

/// <summary>
/// Rule: the LDIF reader's size limits (<see cref="LdifReaderOptions"/>) are enforced while the input is read, before
/// the memory is spent: a line, value, record or value count over its limit ends with <see cref="LdifFormatException"/>
/// after reading little more than the limit, and a value at the limit is read whole.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public class HostileLdifLimitTests
{
    [Fact]
    public void A_line_over_the_default_limit_is_refused_after_reading_about_the_limit_not_the_line()
    {
        // 64 Mi characters of one value: twice the default line limit. The old reader built the whole line (13x its size).
        var source = new EndlessLineStream("dn: CN=a\nadminDescription: "u8.ToArray(), 64L << 20);
        var ex = Assert.Throws<LdifFormatException>(() => LdifDirectoryReader.Read(source).ToList());
        Assert.Contains("MaxLineLength", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.LineNumber);
        Assert.InRange(source.BytesRead, LdifReaderOptions.DefaultMaxLineLength, LdifReaderOptions.DefaultMaxLineLength + (1 << 20));
    }

    [Fact]
    public void Folded_lines_are_held_to_the_line_limit_once_joined()
    {
        var options = new LdifReaderOptions { MaxLineLength = 100 };
        string folded = "dn: CN=a\nadminDescription: " + string.Concat(Enumerable.Repeat("\n 0123456789", 10)) + "\n";
        var ex = Assert.Throws<LdifFormatException>(() => LdifDirectoryReader.Read(new StringReader(folded), options).ToList());
        Assert.Contains("unfolded", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.LineNumber);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_value_at_the_limit_is_read_and_one_byte_more_is_refused(bool base64)
    {
        var options = new LdifReaderOptions { MaxValueSize = 1000 };
        Assert.Equal(1000, ReadAdminDescriptionBytes(1000, base64, options));
        var ex = Assert.Throws<LdifFormatException>(() => ReadAdminDescriptionBytes(1001, base64, options));
        Assert.Contains("MaxValueSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_base64_value_is_refused_from_its_length_before_it_is_decoded()
    {
        var options = new LdifReaderOptions { MaxValueSize = 1 << 20 };
        string ldif = "dn: CN=a\nsupplementalCredentials:: " + new string('A', 4 << 20) + "\n";
        var ex = Assert.Throws<LdifFormatException>(() => LdifDirectoryReader.Read(new StringReader(ldif), options).ToList());
        Assert.Contains("MaxValueSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_per_attribute_are_counted()
    {
        var options = new LdifReaderOptions { MaxValuesPerAttribute = 3 };
        Assert.Equal(3, Read("dn: CN=g\nobjectClass: a\nobjectClass: b\nobjectClass: c\n", options).Single().ObjectClasses.Count);
        var ex = Assert.Throws<LdifFormatException>(() => Read("dn: CN=g\nobjectClass: a\nobjectClass: b\nobjectClass: c\nobjectClass: d\n", options));
        Assert.Contains("MaxValuesPerAttribute", ex.Message, StringComparison.Ordinal);
        Assert.Equal(5, ex.LineNumber);
    }

    [Fact]
    public void Attributes_per_record_are_counted_by_name_with_options_stripped()
    {
        var options = new LdifReaderOptions { MaxAttributesPerRecord = 2 };
        Assert.Single(Read("dn: CN=a\na: 1\nb: 2\nb;binary: 3\n", options));
        var ex = Assert.Throws<LdifFormatException>(() => Read("dn: CN=a\na: 1\nb: 2\nc: 3\n", options));
        Assert.Contains("MaxAttributesPerRecord", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_record_size_counts_value_bytes_and_the_per_value_overhead_and_resets_per_record()
    {
        // Two values of 10 bytes: 2 * (10 + 32) = 84 bytes.
        var options = new LdifReaderOptions { MaxRecordSize = 84 };
        string record = "dn: CN=a\na: 0123456789\nb: 0123456789\n\n";
        Assert.Equal(3, Read(record + record + record, options).Count);
        var ex = Assert.Throws<LdifFormatException>(() => Read("dn: CN=a\na: 0123456789\nb: 0123456789\nc: x\n", options));
        Assert.Contains("MaxRecordSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Many_empty_values_are_bounded_by_the_record_size_not_only_by_their_bytes()
    {
        var options = new LdifReaderOptions { MaxRecordSize = 32 * 1000 };
        string ldif = "dn: CN=a\n" + string.Concat(Enumerable.Repeat("member:\n", 1001));
        Assert.Throws<LdifFormatException>(() => Read(ldif, options));
    }

    [Fact]
    public void Limits_below_one_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LdifReaderOptions { MaxLineLength = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LdifReaderOptions { MaxValueSize = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LdifReaderOptions { MaxRecordSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LdifReaderOptions { MaxValuesPerAttribute = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LdifReaderOptions { MaxAttributesPerRecord = 0 });
    }

    [Fact]
    public void The_limits_are_read_when_the_read_starts_so_a_later_change_does_not_apply()
    {
        var options = new LdifReaderOptions { MaxValuesPerAttribute = 1 };
        IEnumerable<DirectoryUser> users = LdifDirectoryReader.Read(new StringReader("dn: CN=a\nobjectClass: a\nobjectClass: b\n"), options);
        options.MaxValuesPerAttribute = 10;
        Assert.Throws<LdifFormatException>(() => users.ToList());
    }

    [Fact]
    public async Task The_async_and_file_readers_enforce_the_same_limits()
    {
        var options = new LdifReaderOptions { MaxLineLength = 50 };
        string ldif = "dn: CN=a\nadminDescription: " + new string('x', 100) + "\n";
        await Assert.ThrowsAsync<LdifFormatException>(async () =>
        {
            await foreach (DirectoryUser _ in LdifDirectoryReader.ReadAsync(new StringReader(ldif), options))
            {
            }
        });

        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, ldif);
            Assert.Throws<LdifFormatException>(() => LdifDirectoryReader.ReadFile(path, options).ToList());
            await Assert.ThrowsAsync<LdifFormatException>(async () =>
            {
                await foreach (DirectoryUser _ in LdifDirectoryReader.ReadFileAsync(path, options))
                {
                }
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<DirectoryUser> Read(string ldif, LdifReaderOptions options) => [.. LdifDirectoryReader.Read(new StringReader(ldif), options)];

    private static int ReadAdminDescriptionBytes(int size, bool base64, LdifReaderOptions options)
    {
        string value = new('v', size);
        string line = base64 ? "supplementalCredentials:: " + Convert.ToBase64String(Encoding.ASCII.GetBytes(value)) : "adminDescription: " + value;
        DirectoryUser user = Read("dn: CN=a\n" + line + "\n", options).Single();
        return base64 ? user.SupplementalCredentials.Length : Encoding.UTF8.GetByteCount(user.AdminDescription!);
    }

    /// <summary>A prefix, then <c>length</c> bytes of 'a' and a line feed, produced on demand (never held in memory).</summary>
    private sealed class EndlessLineStream(byte[] prefix, long length) : Stream
    {
        private long _position;

        public long BytesRead => _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            long total = prefix.Length + length + 1;
            int n = (int)Math.Min(buffer.Length, total - _position);
            for (int i = 0; i < n; i++)
            {
                long at = _position + i;
                buffer[i] = at < prefix.Length ? prefix[at] : at == total - 1 ? (byte)'\n' : (byte)'a';
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
