using System.Text;
using System.Text.Unicode;

namespace PasswordHashSync.Directory;

/// <summary>
/// Splits LDIF input into physical lines of UTF-8 bytes (ending in LF, CRLF or a lone CR, as <see cref="LdifLineReader"/>
/// does) for the byte-level parser: a UTF-8 stream is never decoded to chars, only validated as it is read, and a line
/// that lies inside the read buffer is handed out where it lies, without a copy.
/// </summary>
/// <remarks>
/// <para>Same rules as <see cref="LdifLineReader"/>, with the same messages: a UTF-8 byte order mark is skipped; invalid
/// UTF-8 (checked a 32 KiB buffer at a time, as the char reader's decoder did, so the message says "after line N") and a
/// truncated last character are <see cref="LdifFormatException"/>; a line longer than
/// <see cref="LdifReaderOptions.MaxLineLength"/> UTF-16 characters is refused before more memory is spent on it.</para>
/// <para>A text reader, and a stream that starts with a UTF-16 (or UTF-32) byte order mark, are read by
/// <see cref="LdifLineReader"/> and each line re-encoded (<see cref="LdifText.FromUtf16"/>, lone surrogates kept).</para>
/// </remarks>
internal sealed class LdifByteLineReader
{
    private const int BufferSize = 32 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream? _stream;
    private readonly int _maxLineLength;
    private readonly byte[] _buffer;
    private LdifLineReader? _chars;
    private bool _started;
    private int _position;
    private int _count;
    private int _end;
    private bool _endOfInput;
    private bool _skipLineFeed;

    // The validated bytes of the buffer are all ASCII (the usual export): a line's UTF-16 length is its byte count.
    private bool _ascii;
    private byte[] _line = new byte[256];
    private int _lineLength;
    private int _lineStart;
    private bool _lineInBuffer;
    private long _lineNumber;

    public LdifByteLineReader(Stream stream, int maxLineLength)
    {
        _stream = stream;
        _maxLineLength = maxLineLength;

        // Room for the (at most 3) bytes of a character split by the previous read.
        _buffer = new byte[BufferSize + 4];
    }

    public LdifByteLineReader(TextReader reader, int maxLineLength)
    {
        _chars = new LdifLineReader(reader, maxLineLength);
        _maxLineLength = maxLineLength;
        _buffer = [];
        _started = true;
    }

    /// <summary>The physical lines returned so far.</summary>
    public long LineNumber => _chars?.LineNumber ?? _lineNumber;

    /// <summary>The line returned by the last successful read, as UTF-8 (valid until the next read).</summary>
    public ReadOnlySpan<byte> Line => _lineInBuffer ? _buffer.AsSpan(_lineStart, _lineLength) : _line.AsSpan(0, _lineLength);

    /// <summary>The length of <see cref="Line"/> in UTF-16 characters (what <see cref="LdifReaderOptions.MaxLineLength"/> counts).</summary>
    public int LineUtf16Length { get; private set; }

    /// <summary>Reads the next line; <see langword="false"/> at the end of the input.</summary>
    public bool ReadLine()
    {
        // Synchronous per line: only the buffer refills share code with the asynchronous path.
        Reset();
        if (!_started)
        {
            Completed(Start(async: false, default));
        }

        if (_chars is not null)
        {
            return _chars.ReadLine() && Reencode(_chars.Line);
        }

        while (true)
        {
            if (_position == _count && (_endOfInput || !Completed(Fill(async: false, default))))
            {
                return Finish();
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
        Reset();
        if (!_started)
        {
            await Start(async: true, cancellationToken).ConfigureAwait(false);
        }

        if (_chars is not null)
        {
            return await _chars.ReadLineAsync(cancellationToken).ConfigureAwait(false) && Reencode(_chars.Line);
        }

        while (true)
        {
            if (_position == _count && (_endOfInput || !await Fill(async: true, cancellationToken).ConfigureAwait(false)))
            {
                return Finish();
            }

            if (TakeLine())
            {
                return true;
            }
        }
    }

    // With async: false, Start and Fill never await anything incomplete, so the ValueTask has completed when they return.
#pragma warning disable CA2012
    private static bool Completed(ValueTask<bool> task) => task.GetAwaiter().GetResult();

    private static void Completed(ValueTask task) => task.GetAwaiter().GetResult();
#pragma warning restore CA2012

    private void Reset()
    {
        _lineLength = 0;
        _lineInBuffer = false;
        LineUtf16Length = 0;
    }

    private bool Finish()
    {
        // A last line without a line ending is a line; an input that ends with one has no empty line after it.
        if (_lineLength == 0)
        {
            return false;
        }

        _lineNumber++;
        return true;
    }

    private bool Reencode(ReadOnlySpan<char> chars)
    {
        long needed = 3L * chars.Length;
        if (needed > _line.Length)
        {
            _line = new byte[(int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _line.Length))];
        }

        _lineLength = LdifText.FromUtf16(chars, _line);
        LineUtf16Length = chars.Length;
        return true;
    }

    /// <summary>Takes bytes of the buffer up to a line ending; <see langword="true"/> when the line is complete.</summary>
    private bool TakeLine()
    {
        if (_skipLineFeed)
        {
            _skipLineFeed = false;
            if (_buffer[_position] == (byte)'\n')
            {
                _position++;
                if (_position == _count)
                {
                    return false;
                }
            }
        }

        ReadOnlySpan<byte> available = _buffer.AsSpan(_position, _count - _position);
        int end = available.IndexOfAny((byte)'\r', (byte)'\n');
        int take = end < 0 ? available.Length : end;
        if (end >= 0 && _lineLength == 0)
        {
            // The whole line is in the buffer: handed out where it lies.
            int utf16 = _ascii ? take : LdifText.Utf16Length(available[..take]);
            if (utf16 > _maxLineLength)
            {
                throw TooLong();
            }

            (_lineInBuffer, _lineStart, _lineLength, LineUtf16Length) = (true, _position, take, utf16);
        }
        else
        {
            Append(available[..take]);
        }

        _position += take;
        if (end < 0)
        {
            return false;
        }

        _skipLineFeed = _buffer[_position] == (byte)'\r';
        _position++;
        _lineNumber++;
        return true;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        // Checked before the buffer grows: a longer line costs no more memory than the limit (3 bytes per UTF-16 char).
        int utf16 = _ascii ? bytes.Length : LdifText.Utf16Length(bytes);
        if ((long)LineUtf16Length + utf16 > _maxLineLength)
        {
            throw TooLong();
        }

        int needed = _lineLength + bytes.Length;
        if (needed > _line.Length)
        {
            Array.Resize(ref _line, (int)Math.Min(Array.MaxLength, Math.Min(3L * _maxLineLength, Math.Max(needed, 2L * _line.Length))));
        }

        bytes.CopyTo(_line.AsSpan(_lineLength));
        _lineLength = needed;
        LineUtf16Length += utf16;
    }

    private LdifFormatException TooLong() =>
        new(_lineNumber + 1, $"the line is longer than the limit of {_maxLineLength} characters (LdifReaderOptions.MaxLineLength).");

    /// <summary>Reads the first bytes and picks the way to read: UTF-8 here, anything with a UTF-16/32 byte order mark by the char reader.</summary>
    private async ValueTask Start(bool async, CancellationToken cancellationToken)
    {
        _started = true;
        Stream stream = _stream!;

        // Read until four bytes are there (a stream may return fewer), as the char reader does.
        int read = 0;
        int last;
        do
        {
            last = async
                ? await stream.ReadAsync(_buffer.AsMemory(read, 4 - read), cancellationToken).ConfigureAwait(false)
                : stream.Read(_buffer, read, 4 - read);
            read += last;
        }
        while (last > 0 && read < 4);

        ReadOnlySpan<byte> start = _buffer.AsSpan(0, read);
        if (start is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] or [0x00, 0x00, 0xFE, 0xFF, ..])
        {
            // The char reader reads the same bytes again, byte order mark first, and applies its own rules to it.
            _chars = new LdifLineReader(new LdifReplayStream(start.ToArray(), stream), _maxLineLength);
            return;
        }

        _position = start is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        _end = read;
        _count = _position;
        if (read == 0)
        {
            _endOfInput = true;
            return;
        }

        Validate(_position);
    }

    private async ValueTask<bool> Fill(bool async, CancellationToken cancellationToken)
    {
        // The bytes of a character split by the previous read go first.
        int held = _end - _count;
        _buffer.AsSpan(_count, held).CopyTo(_buffer);
        (_position, _count, _end) = (0, 0, held);
        while (_count == 0)
        {
            int read = async
                ? await _stream!.ReadAsync(_buffer.AsMemory(_end, BufferSize), cancellationToken).ConfigureAwait(false)
                : _stream!.Read(_buffer, _end, BufferSize);
            if (read == 0)
            {
                if (_end > 0)
                {
                    throw NotUtf8(_buffer.AsSpan(0, _end));
                }

                _endOfInput = true;
                return false;
            }

            _end += read;
            Validate(0);
        }

        return true;
    }

    /// <summary>Validates the buffer from <paramref name="start"/>, holding back the bytes of a character not complete yet.</summary>
    private void Validate(int start)
    {
        int complete = CompleteEnd(_buffer.AsSpan(start, _end - start)) + start;
        // ASCII is valid UTF-8: one pass answers both, and spares counting each line's UTF-16 length.
        _ascii = Ascii.IsValid(_buffer.AsSpan(start, complete - start));
        if (!_ascii && !Utf8.IsValid(_buffer.AsSpan(start, complete - start)))
        {
            throw NotUtf8(_buffer.AsSpan(start, complete - start));
        }

        _count = complete;
    }

    /// <summary>Where the last complete character ends: an incomplete one is held back only if it can still become valid.</summary>
    private static int CompleteEnd(ReadOnlySpan<byte> bytes)
    {
        int lead = bytes.Length - 1;
        while (lead >= 0 && lead >= bytes.Length - 4 && (bytes[lead] & 0xC0) == 0x80)
        {
            lead--;
        }

        if (lead < 0 || lead < bytes.Length - 4)
        {
            return bytes.Length;
        }

        byte b = bytes[lead];
        int length = b switch { >= 0xC2 and <= 0xDF => 2, >= 0xE0 and <= 0xEF => 3, >= 0xF0 and <= 0xF4 => 4, _ => 1 };
        int have = bytes.Length - lead;
        if (have >= length)
        {
            return bytes.Length;
        }

        // The second byte's range depends on the first (Unicode table 3-7); a prefix that is already wrong fails now.
        if (have >= 2)
        {
            byte second = bytes[lead + 1];
            bool fits = b switch
            {
                0xE0 => second >= 0xA0,
                0xED => second <= 0x9F,
                0xF0 => second >= 0x90,
                0xF4 => second <= 0x8F,
                _ => true,
            };
            if (!fits)
            {
                return bytes.Length;
            }
        }

        return lead;
    }

    /// <summary>The char reader's exception, with the strict decoder's own <see cref="DecoderFallbackException"/> as the cause.</summary>
    private LdifFormatException NotUtf8(ReadOnlySpan<byte> invalid)
    {
        string message = $"LDIF input after line {_lineNumber}: the bytes are not valid UTF-8.";
        try
        {
            _ = StrictUtf8.GetCharCount(invalid);
        }
        catch (DecoderFallbackException ex)
        {
            return new LdifFormatException(message, ex);
        }

        return new LdifFormatException(message);
    }
}
