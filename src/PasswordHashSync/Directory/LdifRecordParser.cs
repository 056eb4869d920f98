using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;

namespace PasswordHashSync.Directory;

/// <summary>
/// Turns physical LDIF lines (RFC 2849), as UTF-8 bytes, into <see cref="DirectoryUser"/> values, one record at a time:
/// unfolds continuation lines (<see cref="LdifLogicalLine"/>), drops comments, validates base64 values
/// (<see cref="Base64.IsValid(ReadOnlySpan{byte}, out int)"/>, decoding only the values a user keeps), and rejects change
/// records and URL values with a clear message. Names are matched as bytes (<see cref="LdifAttributeTable"/>); no
/// string is made for a name or a value the user does not hold. Only the record being read is held in memory.
/// </summary>
/// <remarks>
/// Every rule, limit, check order and message is the char-based parser's (a test-only copy of it is compared with this
/// one by property tests): each limit of <see cref="LdifReaderOptions"/> is checked before the memory is spent.
/// </remarks>
internal sealed class LdifRecordParser
{
    private readonly LdifReaderOptions _options;
    private readonly LdifLogicalLine _logical;
    private readonly LdifAttributeTable _names = new();
    private readonly LdifUserBuilder _user = new();
    private long _lineNumber;
    private bool _inRecord;
    private long _recordSize;
    private bool _seenAnyRecord;
    private bool _skippingRecord;

    public LdifRecordParser(LdifReaderOptions options)
    {
        _options = options;
        _logical = new LdifLogicalLine(options.MaxLineLength);
    }

    /// <summary>The number of physical lines accepted so far.</summary>
    public long LineNumber => _lineNumber;

    /// <summary>Feeds one physical line (UTF-8, without its line ending) of <paramref name="utf16Length"/> UTF-16 characters.</summary>
    /// <returns>The user of a completed record, or <see langword="null"/>.</returns>
    public DirectoryUser? Accept(ReadOnlySpan<byte> line, int utf16Length)
    {
        _lineNumber++;
        if (line.Length > 0 && line[0] == (byte)' ')
        {
            if (!_logical.IsOpen)
            {
                throw new LdifFormatException(_lineNumber, "a continuation line (starting with a space) has no line to continue.");
            }

            _logical.Append(line[1..], utf16Length - 1);
            return null;
        }

        CompleteLogicalLine();
        if (line.Length == 0)
        {
            return TakeRecord();
        }

        _logical.Start(line, utf16Length, _lineNumber);
        return null;
    }

    /// <summary>Ends the input.</summary>
    /// <returns>The user of the last record, or <see langword="null"/>.</returns>
    public DirectoryUser? Finish()
    {
        CompleteLogicalLine();
        return TakeRecord();
    }

    private DirectoryUser? TakeRecord()
    {
        bool inRecord = _inRecord;
        _inRecord = false;
        _recordSize = 0;
        _skippingRecord = false;
        _names.ClearCounts();
        return inRecord ? _user.Build() : null;
    }

    private void CompleteLogicalLine()
    {
        if (!_logical.IsOpen)
        {
            return;
        }

        ReadOnlySpan<byte> text = _logical.Close();
        if (text[0] != (byte)'#')
        {
            ProcessLine(text, _logical.StartLine);
        }
    }

    private void ProcessLine(ReadOnlySpan<byte> text, long line)
    {
        if (text is [(byte)'-'])
        {
            throw new LdifFormatException(line, "'-' separates modifications in an LDIF change record; only content records (an export) are accepted.");
        }

        int colon = text.IndexOf((byte)':');
        if (colon <= 0)
        {
            throw new LdifFormatException(line, "expected 'attribute: value' (no colon found).");
        }

        ReadOnlySpan<byte> description = text[..colon];
        int semicolon = description.IndexOf((byte)';');
        ReadOnlySpan<byte> name = semicolon < 0 ? description : description[..semicolon];
        ReadOnlySpan<byte> value = Value(text, colon, name, line, out bool isBase64, out int size);
        int id = _names.Resolve(name, out string? overflowName);
        if (_skippingRecord)
        {
            return;
        }

        if (!_inRecord)
        {
            StartRecord(id, description, value, isBase64, size, line);
            return;
        }

        if (id == LdifAttributeTable.ChangeType && _names.DistinctCount == 0 && Text(value, isBase64, size).Trim().Equals("add", StringComparison.OrdinalIgnoreCase))
        {
            // ldifde writes every exported entry as "changetype: add" followed by the full entry: that is content.
            return;
        }

        if (id is LdifAttributeTable.ChangeType or LdifAttributeTable.Control)
        {
            throw new LdifFormatException(line, $"'{LdifText.ToString(name)}:' marks an LDIF change record (entry '{_user.DistinguishedName}'); only content records (an export) are accepted.");
        }

        AddValue(id, overflowName, name, value, isBase64, size, line);
    }

    private void StartRecord(int id, ReadOnlySpan<byte> description, ReadOnlySpan<byte> value, bool isBase64, int size, long line)
    {
        if (!_seenAnyRecord && id == LdifAttributeTable.Version)
        {
            string version = Text(value, isBase64, size).Trim();
            if (version != "1")
            {
                throw new LdifFormatException(line, $"LDIF version '{version}' is not supported (only 1).");
            }

            _seenAnyRecord = true;
            return;
        }

        _seenAnyRecord = true;
        if (id == LdifAttributeTable.Ref)
        {
            // ldbsearch and ldapsearch print search referrals as a 'ref:' record; they are not objects.
            _skippingRecord = true;
            return;
        }

        if (id != LdifAttributeTable.Dn)
        {
            throw new LdifFormatException(line, $"a record must start with 'dn:', not '{LdifText.Printable(LdifText.ToString(description))}:'.");
        }

        string dn = isBase64 ? LdifText.StrictString(Decoded(value, size), line, "dn") : LdifText.StrictString(value, line, "dn");
        _user.Begin(dn, line);
        _inRecord = true;
    }

    private void AddValue(int id, string? overflowName, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool isBase64, int size, long line)
    {
        _recordSize += size + LdifReaderOptions.PerValueOverhead;
        if (_recordSize > _options.MaxRecordSize)
        {
            throw new LdifFormatException(line, $"the record '{LdifText.Printable(_user.DistinguishedName)}' is larger than the limit of {_options.MaxRecordSize} bytes (LdifReaderOptions.MaxRecordSize).");
        }

        int values = _names.ValueCount(id, overflowName);
        if (values == 0 && _names.DistinctCount >= _options.MaxAttributesPerRecord)
        {
            throw new LdifFormatException(line, $"the record '{LdifText.Printable(_user.DistinguishedName)}' has more than the limit of {_options.MaxAttributesPerRecord} attributes (LdifReaderOptions.MaxAttributesPerRecord).");
        }

        if (values >= _options.MaxValuesPerAttribute)
        {
            throw new LdifFormatException(line, $"'{LdifText.Printable(LdifText.ToString(name))}' of '{LdifText.Printable(_user.DistinguishedName)}' has more than the limit of {_options.MaxValuesPerAttribute} values (LdifReaderOptions.MaxValuesPerAttribute).");
        }

        _names.Count(id, overflowName);
        _user.Add(id, value, isBase64, size, line);
    }

    /// <summary>The value after the colon: base64 text (checked; <paramref name="name"/> for messages) or the text's bytes; <paramref name="size"/> is its decoded size.</summary>
    private ReadOnlySpan<byte> Value(ReadOnlySpan<byte> text, int colon, ReadOnlySpan<byte> name, long line, out bool isBase64, out int size)
    {
        int maxValueSize = _options.MaxValueSize;
        (isBase64, size) = (false, 0);
        int index = colon + 1;
        if (index < text.Length && text[index] == (byte)':')
        {
            ReadOnlySpan<byte> base64 = text[(index + 1)..].Trim((byte)' ');

            // The decoded size is at most 3/4 of the text: refuse before looking at what cannot fit the limit.
            if (((long)base64.Length / 4 * 3) - 2 > maxValueSize)
            {
                throw TooLarge(name, line, maxValueSize);
            }

            if (!Base64.IsValid(base64, out int decoded))
            {
                throw new LdifFormatException(line, $"the base64 value of '{LdifText.Printable(LdifText.ToString(name))}' is not valid base64.");
            }

            (isBase64, size) = (true, decoded);
            return decoded > maxValueSize ? throw TooLarge(name, line, maxValueSize) : base64;
        }

        if (index < text.Length && text[index] == (byte)'<')
        {
            throw new LdifFormatException(line, $"the value of '{LdifText.Printable(LdifText.ToString(name))}' is a URL reference (':<'); URL values are not supported.");
        }

        while (index < text.Length && text[index] == (byte)' ')
        {
            index++;
        }

        ReadOnlySpan<byte> value = text[index..];

        // A lone surrogate (kept in its 3-byte form by the text reader path) is the only way the bytes are not UTF-8.
        if (!Utf8.IsValid(value))
        {
            throw new LdifFormatException(line, $"the value of '{LdifText.Printable(LdifText.ToString(name))}' holds a lone surrogate (not well-formed UTF-16).");
        }

        size = value.Length;
        return value.Length > maxValueSize ? throw TooLarge(name, line, maxValueSize) : value;
    }

    /// <summary>A value as the char parser's <c>Encoding.UTF8.GetString</c> gave it (for the rare version and changetype lines).</summary>
    private static string Text(ReadOnlySpan<byte> value, bool isBase64, int size) =>
        Encoding.UTF8.GetString(isBase64 ? Decoded(value, size) : value);

    private static byte[] Decoded(ReadOnlySpan<byte> base64, int size)
    {
        byte[] bytes = new byte[size];
        return Base64.DecodeFromUtf8(base64, bytes, out _, out int written) == OperationStatus.Done && written == size
            ? bytes
            : throw new InvalidOperationException("A base64 value validated by the LDIF parser did not decode to its validated size.");
    }

    private static LdifFormatException TooLarge(ReadOnlySpan<byte> name, long line, int maxValueSize) =>
        new(line, $"the value of '{LdifText.Printable(LdifText.ToString(name))}' is larger than the limit of {maxValueSize} bytes (LdifReaderOptions.MaxValueSize).");
}
