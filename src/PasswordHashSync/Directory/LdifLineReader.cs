using System.Text;

namespace PasswordHashSync.Directory;

/// <summary>
/// Splits LDIF text into physical lines (ending in LF, CRLF or a lone CR, as <see cref="TextReader.ReadLine"/> does)
/// without ever holding more than <see cref="LdifReaderOptions.MaxLineLength"/> characters of one line:
/// <see cref="TextReader.ReadLine"/> would build a 1 GB line whole (and twice over) before anyone could refuse it.
/// </summary>
/// <remarks>
/// Over a <see cref="Stream"/> the reader decodes itself, strictly: a UTF-8 byte order mark is skipped, a UTF-16 one
/// (LE or BE) switches to strict UTF-16, a UTF-32 one is refused, and any byte sequence that does not decode (invalid
/// UTF-8, a lone UTF-16 surrogate, a truncated last character) is an <see cref="LdifFormatException"/>. A
/// decoder with replacement would change a value (and so a Kerberos salt) to U+FFFD without a word.
/// </remarks>
internal sealed class LdifLineReader
{
    private const int BufferSize = 32 * 1024;

    private readonly TextReader? _text;
    private readonly Stream? _stream;
    private readonly int _maxLineLength;
    private readonly char[] _chars;
    private readonly byte[]? _bytes;
    private Decoder? _decoder;
    private string _encodingName = "UTF-8";
    private int _charPosition;
    private int _charCount;
    private bool _endOfInput;
    private bool _skipLineFeed;
    private char[] _line = new char[256];
    private int _lineLength;

    public LdifLineReader(TextReader reader, int maxLineLength)
    {
        _text = reader;
        _maxLineLength = maxLineLength;
        _chars = new char[BufferSize];
    }

    public LdifLineReader(Stream stream, int maxLineLength)
    {
        _stream = stream;
        _maxLineLength = maxLineLength;
        _bytes = new byte[BufferSize];

        // A UTF-8 decoder makes at most one char per byte, UTF-16 one per two, plus one held back from the last read.
        _chars = new char[BufferSize + 2];
    }

    /// <summary>The physical lines returned so far.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The line returned by the last successful read (valid until the next read).</summary>
    public ReadOnlySpan<char> Line => _line.AsSpan(0, _lineLength);

    /// <summary>Reads the next line; <see langword="false"/> at the end of the input.</summary>
    public bool ReadLine()
    {
        _lineLength = 0;
        while (true)
        {
            if (_charPosition == _charCount)
            {
                if (_endOfInput || !FillSynchronously())
                {
                    return Finish();
                }
            }

            if (TakeLine())
            {
                return true;
            }
        }
    }

    /// <summary>Reads the next line asynchronously; <see langword="false"/> at the end of the input.</summary>
    public async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        _lineLength = 0;
        while (true)
        {
            if (_charPosition == _charCount)
            {
                if (_endOfInput || !await Fill(async: true, cancellationToken).ConfigureAwait(false))
                {
                    return Finish();
                }
            }

            if (TakeLine())
            {
                return true;
            }
        }
    }

    private bool Finish()
    {
        // A last line without a line ending is a line; an input that ends with one has no empty line after it.
        if (_lineLength == 0)
        {
            return false;
        }

        LineNumber++;
        return true;
    }

    /// <summary>Moves characters of the buffer into the line up to a line ending; <see langword="true"/> when the line is complete.</summary>
    private bool TakeLine()
    {
        if (_skipLineFeed)
        {
            _skipLineFeed = false;
            if (_chars[_charPosition] == '\n')
            {
                _charPosition++;
                if (_charPosition == _charCount)
                {
                    return false;
                }
            }
        }

        ReadOnlySpan<char> available = _chars.AsSpan(_charPosition, _charCount - _charPosition);
        int end = available.IndexOfAny('\r', '\n');
        int take = end < 0 ? available.Length : end;
        Append(available[..take]);
        _charPosition += take;
        if (end < 0)
        {
            return false;
        }

        _skipLineFeed = _chars[_charPosition] == '\r';
        _charPosition++;
        LineNumber++;
        return true;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        // Checked before the buffer grows: a longer line costs no more memory than the limit.
        if ((long)_lineLength + text.Length > _maxLineLength)
        {
            throw new LdifFormatException(LineNumber + 1, $"the line is longer than the limit of {_maxLineLength} characters (LdifReaderOptions.MaxLineLength).");
        }

        int needed = _lineLength + text.Length;
        if (needed > _line.Length)
        {
            int size = (int)Math.Min(_maxLineLength, Math.Max(needed, 2L * _line.Length));
            Array.Resize(ref _line, size);
        }

        text.CopyTo(_line.AsSpan(_lineLength));
        _lineLength = needed;
    }

    private bool FillSynchronously()
    {
        // With async: false, Fill never awaits anything incomplete, so the ValueTask has completed when it returns.
#pragma warning disable CA2012
        return Fill(async: false, default).GetAwaiter().GetResult();
#pragma warning restore CA2012
    }

    private async ValueTask<bool> Fill(bool async, CancellationToken cancellationToken)
    {
        _charPosition = 0;
        _charCount = 0;
        if (_text is not null)
        {
            _charCount = async ? await _text.ReadAsync(_chars, cancellationToken).ConfigureAwait(false) : _text.Read(_chars);
            _endOfInput = _charCount == 0;
            return !_endOfInput;
        }

        Stream stream = _stream!;
        byte[] bytes = _bytes!;
        try
        {
            while (_charCount == 0)
            {
                int read;
                int skip = 0;
                if (_decoder is null)
                {
                    // The first bytes decide the encoding: read until four are there (a stream may return fewer).
                    read = 0;
                    int last;
                    do
                    {
                        last = async
                            ? await stream.ReadAsync(bytes.AsMemory(read, 4 - read), cancellationToken).ConfigureAwait(false)
                            : stream.Read(bytes, read, 4 - read);
                        read += last;
                    }
                    while (last > 0 && read < 4);

                    skip = ChooseEncoding(bytes.AsSpan(0, read));
                }
                else
                {
                    read = async
                        ? await stream.ReadAsync(bytes, cancellationToken).ConfigureAwait(false)
                        : stream.Read(bytes, 0, bytes.Length);
                }

                bool flush = read == 0;
                _charCount = _decoder!.GetChars(bytes, skip, read - skip, _chars, 0, flush);
                if (flush)
                {
                    _endOfInput = _charCount == 0;
                    return !_endOfInput;
                }
            }

            return true;
        }
        catch (DecoderFallbackException ex)
        {
            // The decoder works a buffer ahead of the lines handed out, so the bad bytes are at or after this line.
            throw new LdifFormatException($"LDIF input after line {LineNumber}: the bytes are not valid {_encodingName}.", ex);
        }
    }

    /// <summary>Picks the decoder from the byte order mark and says how many bytes of it to skip.</summary>
    private int ChooseEncoding(ReadOnlySpan<byte> start)
    {
        if (start is [0xFF, 0xFE, 0x00, 0x00, ..] or [0x00, 0x00, 0xFE, 0xFF, ..])
        {
            throw new LdifFormatException(0, "the input starts with a UTF-32 byte order mark; LDIF is read as UTF-8 or, with a byte order mark, UTF-16.");
        }

        if (start is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            bool bigEndian = start[0] == 0xFE;
            _encodingName = bigEndian ? "UTF-16BE" : "UTF-16LE";
            _decoder = new UnicodeEncoding(bigEndian, byteOrderMark: false, throwOnInvalidBytes: true).GetDecoder();
            return 2;
        }

        _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        return start is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
    }
}
