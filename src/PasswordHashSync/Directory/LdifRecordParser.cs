using System.Text;

namespace PasswordHashSync.Directory;

/// <summary>
/// Turns physical LDIF lines (RFC 2849) into content records, one at a time: unfolds continuation lines, drops
/// comments, decodes base64 values, and rejects change records and URL values with a clear message.
/// Only the record being read is held in memory.
/// </summary>
internal sealed class LdifRecordParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly StringBuilder _logical = new();
    private long _logicalStart;
    private bool _hasLogical;
    private long _lineNumber;
    private LdifRecord? _record;
    private bool _seenAnyRecord;
    private bool _skippingRecord;

    /// <summary>Feeds one physical line (without its line ending), or <see langword="null"/> at the end of input.</summary>
    /// <returns>A completed record, or <see langword="null"/>.</returns>
    /// <summary>The number of physical lines accepted so far.</summary>
    public long LineNumber => _lineNumber;

    public LdifRecord? Accept(string? line)
    {
        if (line is null)
        {
            CompleteLogicalLine();
            return TakeRecord();
        }

        _lineNumber++;
        if (line.Length > 0 && line[0] == ' ')
        {
            if (!_hasLogical)
            {
                throw new LdifFormatException(_lineNumber, "a continuation line (starting with a space) has no line to continue.");
            }

            _logical.Append(line, 1, line.Length - 1);
            return null;
        }

        CompleteLogicalLine();
        if (line.Length == 0)
        {
            return TakeRecord();
        }

        _logical.Append(line);
        _logicalStart = _lineNumber;
        _hasLogical = true;
        return null;
    }

    private LdifRecord? TakeRecord()
    {
        LdifRecord? record = _record;
        _record = null;
        _skippingRecord = false;
        return record;
    }

    private void CompleteLogicalLine()
    {
        if (!_hasLogical)
        {
            return;
        }

        string text = _logical.ToString();
        _logical.Clear();
        _hasLogical = false;
        if (text[0] == '#')
        {
            return;
        }

        ProcessLine(text, _logicalStart);
    }

    private void ProcessLine(string text, long line)
    {
        if (text == "-")
        {
            throw new LdifFormatException(line, "'-' separates modifications in an LDIF change record; only content records (an export) are accepted.");
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new LdifFormatException(line, "expected 'attribute: value' (no colon found).");
        }

        string description = text[..colon];
        string name = StripOptions(description);
        (byte[] value, bool isBase64) = DecodeValue(text, colon, name, line);

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

            _record = new LdifRecord(DecodeUtf8(value, line, "dn"), line);
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

        _record.Add(name, value, isBase64, line);
    }

    private static (byte[] Value, bool IsBase64) DecodeValue(string text, int colon, string name, long line)
    {
        int index = colon + 1;
        if (index < text.Length && text[index] == ':')
        {
            string base64 = text[(index + 1)..].Trim(' ');
            try
            {
                return (Convert.FromBase64String(base64), true);
            }
            catch (FormatException ex)
            {
                throw new LdifFormatException($"LDIF line {line}: the base64 value of '{Printable(name)}' is not valid base64.", ex);
            }
        }

        if (index < text.Length && text[index] == '<')
        {
            throw new LdifFormatException(line, $"the value of '{Printable(name)}' is a URL reference (':<'); URL values are not supported.");
        }

        while (index < text.Length && text[index] == ' ')
        {
            index++;
        }

        try
        {
            return (StrictUtf8.GetBytes(text[index..]), false);
        }
        catch (EncoderFallbackException)
        {
            // Encoding.UTF8 would store U+FFFD instead: a different name than the one in the input.
            throw new LdifFormatException(line, $"the value of '{Printable(name)}' holds a lone surrogate (not well-formed UTF-16).");
        }
    }

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
