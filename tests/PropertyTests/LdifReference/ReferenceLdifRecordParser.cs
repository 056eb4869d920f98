using System.Text;

using PasswordHashSync.Directory;

namespace PasswordHashSync.PropertyTests.LdifReference;

/// <summary>
/// The char-based LDIF record parser the library used before the byte-level reader (a test-only reference copy, kept
/// unchanged so property tests can compare the two). Turns physical LDIF lines (RFC 2849) into content records, one at a time: unfolds continuation lines, drops
/// comments, decodes base64 values, and rejects change records and URL values with a clear message.
/// Only the record being read is held in memory.
/// </summary>
internal sealed class ReferenceLdifRecordParser(LdifReaderOptions options)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly LdifReaderOptions _options = options;
    private char[] _logical = new char[256];
    private int _logicalLength;
    private long _logicalStart;
    private bool _hasLogical;
    private long _lineNumber;
    private ReferenceLdifRecord? _record;
    private long _recordSize;
    private bool _seenAnyRecord;
    private bool _skippingRecord;

    /// <summary>The number of physical lines accepted so far.</summary>
    public long LineNumber => _lineNumber;

    /// <summary>Feeds one physical line (without its line ending).</summary>
    /// <returns>A completed record, or <see langword="null"/>.</returns>
    public ReferenceLdifRecord? Accept(ReadOnlySpan<char> line)
    {
        _lineNumber++;
        if (line.Length > 0 && line[0] == ' ')
        {
            if (!_hasLogical)
            {
                throw new LdifFormatException(_lineNumber, "a continuation line (starting with a space) has no line to continue.");
            }

            AppendLogical(line[1..]);
            return null;
        }

        CompleteLogicalLine();
        if (line.Length == 0)
        {
            return TakeRecord();
        }

        AppendLogical(line);
        _logicalStart = _lineNumber;
        _hasLogical = true;
        return null;
    }

    /// <summary>Ends the input.</summary>
    /// <returns>The last record, or <see langword="null"/>.</returns>
    public ReferenceLdifRecord? Finish()
    {
        CompleteLogicalLine();
        return TakeRecord();
    }

    private void AppendLogical(ReadOnlySpan<char> text)
    {
        // Folding (RFC 2849 section 2) joins lines: the joined line has the same limit as one physical line, checked
        // before the buffer grows.
        if ((long)_logicalLength + text.Length > _options.MaxLineLength)
        {
            throw new LdifFormatException(_hasLogical ? _logicalStart : _lineNumber,
                $"the line, unfolded, is longer than the limit of {_options.MaxLineLength} characters (LdifReaderOptions.MaxLineLength).");
        }

        int needed = _logicalLength + text.Length;
        if (needed > _logical.Length)
        {
            Array.Resize(ref _logical, (int)Math.Min(_options.MaxLineLength, Math.Max(needed, 2L * _logical.Length)));
        }

        text.CopyTo(_logical.AsSpan(_logicalLength));
        _logicalLength = needed;
    }

    private ReferenceLdifRecord? TakeRecord()
    {
        ReferenceLdifRecord? record = _record;
        _record = null;
        _recordSize = 0;
        _skippingRecord = false;
        return record;
    }

    private void CompleteLogicalLine()
    {
        if (!_hasLogical)
        {
            return;
        }

        ReadOnlySpan<char> text = _logical.AsSpan(0, _logicalLength);
        _logicalLength = 0;
        _hasLogical = false;
        if (text[0] == '#')
        {
            return;
        }

        ProcessLine(text, _logicalStart);
    }

    private void ProcessLine(ReadOnlySpan<char> text, long line)
    {
        if (text is "-")
        {
            throw new LdifFormatException(line, "'-' separates modifications in an LDIF change record; only content records (an export) are accepted.");
        }

        int colon = text.IndexOf(':');
        if (colon <= 0)
        {
            throw new LdifFormatException(line, "expected 'attribute: value' (no colon found).");
        }

        string description = text[..colon].ToString();
        string name = StripOptions(description);
        (byte[] value, bool isBase64) = DecodeValue(text, colon, name, line, _options.MaxValueSize);

        if (_skippingRecord)
        {
            return;
        }

        if (_record is null)
        {
            if (!_seenAnyRecord && name.Equals("version", StringComparison.OrdinalIgnoreCase))
            {
                string version = Encoding.UTF8.GetString(value).Trim();
                if (version != "1")
                {
                    throw new LdifFormatException(line, $"LDIF version '{version}' is not supported (only 1).");
                }

                _seenAnyRecord = true;
                return;
            }

            _seenAnyRecord = true;
            if (name.Equals("ref", StringComparison.OrdinalIgnoreCase))
            {
                // ldbsearch and ldapsearch print search referrals as a 'ref:' record; they are not objects.
                _skippingRecord = true;
                return;
            }

            if (!name.Equals("dn", StringComparison.OrdinalIgnoreCase))
            {
                throw new LdifFormatException(line, $"a record must start with 'dn:', not '{Printable(description)}:'.");
            }

            _record = new ReferenceLdifRecord(DecodeUtf8(value, line, "dn"), line);
            return;
        }

        if (name.Equals("changetype", StringComparison.OrdinalIgnoreCase)
            && _record.Attributes.Count == 0
            && Encoding.UTF8.GetString(value).Trim().Equals("add", StringComparison.OrdinalIgnoreCase))
        {
            // ldifde writes every exported entry as "changetype: add" followed by the full entry: that is content.
            return;
        }

        if (name.Equals("changetype", StringComparison.OrdinalIgnoreCase) || name.Equals("control", StringComparison.OrdinalIgnoreCase))
        {
            throw new LdifFormatException(line, $"'{name}:' marks an LDIF change record (entry '{_record.DistinguishedName}'); only content records (an export) are accepted.");
        }

        AddValue(name, value, isBase64, line);
    }

    private void AddValue(string name, byte[] value, bool isBase64, long line)
    {
        ReferenceLdifRecord record = _record!;
        _recordSize += value.Length + LdifReaderOptions.PerValueOverhead;
        if (_recordSize > _options.MaxRecordSize)
        {
            throw new LdifFormatException(line, $"the record '{Printable(record.DistinguishedName)}' is larger than the limit of {_options.MaxRecordSize} bytes (LdifReaderOptions.MaxRecordSize).");
        }

        int values = record.Attributes.TryGetValue(name, out var list) ? list.Count : 0;
        if (values == 0 && record.Attributes.Count >= _options.MaxAttributesPerRecord)
        {
            throw new LdifFormatException(line, $"the record '{Printable(record.DistinguishedName)}' has more than the limit of {_options.MaxAttributesPerRecord} attributes (LdifReaderOptions.MaxAttributesPerRecord).");
        }

        if (values >= _options.MaxValuesPerAttribute)
        {
            throw new LdifFormatException(line, $"'{Printable(name)}' of '{Printable(record.DistinguishedName)}' has more than the limit of {_options.MaxValuesPerAttribute} values (LdifReaderOptions.MaxValuesPerAttribute).");
        }

        record.Add(name, value, isBase64, line);
    }

    private static (byte[] Value, bool IsBase64) DecodeValue(ReadOnlySpan<char> text, int colon, string name, long line, int maxValueSize)
    {
        int index = colon + 1;
        if (index < text.Length && text[index] == ':')
        {
            return (DecodeBase64(text[(index + 1)..].Trim(' '), name, line, maxValueSize), true);
        }

        if (index < text.Length && text[index] == '<')
        {
            throw new LdifFormatException(line, $"the value of '{Printable(name)}' is a URL reference (':<'); URL values are not supported.");
        }

        while (index < text.Length && text[index] == ' ')
        {
            index++;
        }

        ReadOnlySpan<char> value = text[index..];

        // Three UTF-8 bytes at most per UTF-16 char: only a value that could be too large is measured exactly.
        if ((long)value.Length * 3 > maxValueSize)
        {
            int size;
            try
            {
                size = StrictUtf8.GetByteCount(value);
            }
            catch (EncoderFallbackException)
            {
                throw LoneSurrogate(name, line);
            }

            if (size > maxValueSize)
            {
                throw TooLarge(name, line, maxValueSize);
            }
        }

        try
        {
            byte[] bytes = new byte[StrictUtf8.GetByteCount(value)];
            StrictUtf8.GetBytes(value, bytes);
            return (bytes, false);
        }
        catch (EncoderFallbackException)
        {
            // Encoding.UTF8 would store U+FFFD instead: a different name than the one in the input.
            throw LoneSurrogate(name, line);
        }
    }

    private static byte[] DecodeBase64(ReadOnlySpan<char> base64, string name, long line, int maxValueSize)
    {
        // The decoded size is at most 3/4 of the text: refuse before decoding what cannot fit the limit.
        if (((long)base64.Length / 4 * 3) - 2 > maxValueSize)
        {
            throw TooLarge(name, line, maxValueSize);
        }

        // Values can be secrets (unicodePwd, supplementalCredentials): the scratch buffer is zeroed before it is returned.
        byte[] scratch = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Max(((long)base64.Length + 3) / 4 * 3, 1));
        try
        {
            if (!Convert.TryFromBase64Chars(base64, scratch, out int written))
            {
                throw new LdifFormatException(line, $"the base64 value of '{Printable(name)}' is not valid base64.");
            }

            if (written > maxValueSize)
            {
                throw TooLarge(name, line, maxValueSize);
            }

            return scratch.AsSpan(0, written).ToArray();
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(scratch);
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static LdifFormatException TooLarge(string name, long line, int maxValueSize) =>
        new(line, $"the value of '{Printable(name)}' is larger than the limit of {maxValueSize} bytes (LdifReaderOptions.MaxValueSize).");

    private static LdifFormatException LoneSurrogate(string name, long line) =>
        new(line, $"the value of '{Printable(name)}' holds a lone surrogate (not well-formed UTF-16).");

    private static string DecodeUtf8(byte[] value, long line, string name)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(value);
        }
        catch (DecoderFallbackException ex)
        {
            throw new LdifFormatException($"LDIF line {line}: the value of '{name}' is not valid UTF-8.", ex);
        }
    }

    private static string StripOptions(string description)
    {
        int semicolon = description.IndexOf(';', StringComparison.Ordinal);
        return semicolon < 0 ? description : description[..semicolon];
    }

    private static string Printable(string value) => value.Length > 64 ? value[..64] + "..." : value;
}
