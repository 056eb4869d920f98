using System.Buffers;
using System.Text;

namespace PasswordHashSync.Directory;

/// <summary>
/// The identity-only reading of an LDIF export: the DN and first <c>objectGUID</c> of every record that
/// <see cref="LdifDirectoryReader"/> would return, in the same order, without unfolding, decoding or storing any
/// other value (a 3 KB supplementalCredentials blob is passed over line by line).
/// </summary>
/// <remarks>
/// <para>For an input the full reader accepts, the identities are exactly the DN and <see cref="DirectoryUser.ObjectGuid"/>
/// of its users (a property test compares the two). The scanner checks only what it reads: an input the full reader
/// refuses may scan without an error (a malformed value it skips) or give an identity the full reader never would
/// (a malformed objectGUID reads as none); a caller that needs the input validated reads it with the full reader.</para>
/// <para>Limits: lines are bounded by <see cref="LdifReaderOptions.MaxLineLength"/> (<see cref="LdifLineReader"/>), the
/// unfolded DN and objectGUID lines by the same limit and the DN's bytes by <see cref="LdifReaderOptions.MaxValueSize"/>,
/// each checked before the memory is spent, with the full reader's messages. Nothing else is held.</para>
/// </remarks>
internal sealed class LdifIdentityScanner(LdifReaderOptions options)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly LdifReaderOptions _options = options;
    private char[] _logical = new char[256];
    private int _logicalLength;
    private long _logicalStart;
    private Capture _capture;
    private long _lineNumber;
    private bool _inRecord;
    private bool _skippingRecord;
    private bool _seenAnyRecord;
    private bool _guidSeen;
    private string? _dn;
    private Guid? _guid;

    private enum Capture
    {
        None,

        /// <summary>The line so far has no colon: its name (folded, RFC 2849 section 2) is not known yet.</summary>
        Pending,
        Dn,
        Guid,
    }

    /// <summary>Feeds one physical line (without its line ending).</summary>
    /// <returns>The identity of a completed record, or <see langword="null"/>.</returns>
    public LdifObjectIdentity? Accept(ReadOnlySpan<char> line)
    {
        _lineNumber++;
        if (line.Length > 0 && line[0] == ' ')
        {
            if (_capture != Capture.None)
            {
                Append(line[1..]);
                if (_capture == Capture.Pending && _logical.AsSpan(0, _logicalLength).IndexOf(':') is int colon and >= 0)
                {
                    _capture = Classify(_logical.AsSpan(0, _logicalLength), colon);
                }
            }

            return null;
        }

        CompleteLogicalLine();
        if (line.Length == 0)
        {
            return TakeRecord();
        }

        Start(line);
        return null;
    }

    /// <summary>Ends the input.</summary>
    /// <returns>The identity of the last record, or <see langword="null"/>.</returns>
    public LdifObjectIdentity? Finish()
    {
        CompleteLogicalLine();
        return TakeRecord();
    }

    private LdifObjectIdentity? TakeRecord()
    {
        LdifObjectIdentity? identity = _inRecord ? new LdifObjectIdentity(_dn!, _guid) : null;
        _inRecord = false;
        _skippingRecord = false;
        _guidSeen = false;
        _dn = null;
        _guid = null;
        return identity;
    }

    private void Start(ReadOnlySpan<char> line)
    {
        _capture = Capture.None;
        if (line[0] == '#' || _skippingRecord)
        {
            return;
        }

        int colon = line.IndexOf(':');
        _capture = colon < 0 ? Capture.Pending : Classify(line, colon);
        if (_capture != Capture.None)
        {
            _logicalLength = 0;
            _logicalStart = _lineNumber;
            Append(line);
        }
    }

    /// <summary>What the logical line named by <paramref name="text"/>[..<paramref name="colon"/>] is to the scan (the full reader's record rules).</summary>
    private Capture Classify(ReadOnlySpan<char> text, int colon)
    {
        if (colon == 0)
        {
            return Capture.None;
        }

        ReadOnlySpan<char> name = text[..colon];
        int semicolon = name.IndexOf(';');
        if (semicolon >= 0)
        {
            name = name[..semicolon];
        }

        if (!_inRecord)
        {
            if (!_seenAnyRecord && name.Equals("version", StringComparison.OrdinalIgnoreCase))
            {
                _seenAnyRecord = true;
                return Capture.None;
            }

            _seenAnyRecord = true;
            if (name.Equals("ref", StringComparison.OrdinalIgnoreCase))
            {
                _skippingRecord = true;
                return Capture.None;
            }

            return name.Equals("dn", StringComparison.OrdinalIgnoreCase) ? Capture.Dn : Capture.None;
        }

        if (!_guidSeen && name.Equals("objectGUID", StringComparison.OrdinalIgnoreCase))
        {
            _guidSeen = true;
            return Capture.Guid;
        }

        return Capture.None;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        // The full reader's unfolding limit (LdifRecordParser.AppendLogical), checked before the buffer grows.
        if ((long)_logicalLength + text.Length > _options.MaxLineLength)
        {
            throw new LdifFormatException(_logicalStart,
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

    private void CompleteLogicalLine()
    {
        Capture capture = _capture;
        _capture = Capture.None;
        if (capture is Capture.None or Capture.Pending)
        {
            return;
        }

        ReadOnlySpan<char> text = _logical.AsSpan(0, _logicalLength);
        int index = text.IndexOf(':') + 1;
        bool isBase64 = index < text.Length && text[index] == ':';
        if (capture == Capture.Dn)
        {
            _dn = Dn(text, index, isBase64);
            _inRecord = true;
        }
        else
        {
            _guid = ParseGuid(text, index, isBase64);
        }
    }

    private string Dn(ReadOnlySpan<char> text, int index, bool isBase64)
    {
        if (!isBase64)
        {
            while (index < text.Length && text[index] == ' ')
            {
                index++;
            }

            ReadOnlySpan<char> value = text[index..];
            if ((long)value.Length * 3 > _options.MaxValueSize && Encoding.UTF8.GetByteCount(value) > _options.MaxValueSize)
            {
                throw TooLarge();
            }

            return value.ToString();
        }

        ReadOnlySpan<char> base64 = text[(index + 1)..].Trim(' ');
        if (((long)base64.Length / 4 * 3) - 2 > _options.MaxValueSize)
        {
            throw TooLarge();
        }

        byte[] scratch = ArrayPool<byte>.Shared.Rent((int)Math.Max(((long)base64.Length + 3) / 4 * 3, 1));
        try
        {
            // A DN that does not decode gives a placeholder: the full reader refuses the record with its own message.
            if (!Convert.TryFromBase64Chars(base64, scratch, out int written))
            {
                return string.Empty;
            }

            try
            {
                return StrictUtf8.GetString(scratch, 0, written);
            }
            catch (DecoderFallbackException)
            {
                return string.Empty;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static Guid? ParseGuid(ReadOnlySpan<char> text, int index, bool isBase64)
    {
        if (isBase64)
        {
            // The same value the full reader maps: 16 bytes in AD's little-endian field order.
            Span<byte> bytes = stackalloc byte[18];
            return Convert.TryFromBase64Chars(text[(index + 1)..].Trim(' '), bytes, out int written) && written == 16
                ? new Guid(bytes[..16])
                : null;
        }

        while (index < text.Length && text[index] == ' ')
        {
            index++;
        }

        return Guid.TryParse(text[index..], out Guid guid) ? guid : null;
    }

    private LdifFormatException TooLarge() =>
        new(_logicalStart, $"the value of 'dn' is larger than the limit of {_options.MaxValueSize} bytes (LdifReaderOptions.MaxValueSize).");
}
