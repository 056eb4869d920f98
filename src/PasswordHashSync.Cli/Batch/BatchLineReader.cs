namespace PasswordHashSync.Cli.Batch;

/// <summary>
/// Splits a byte stream into lines (LF, with an optional CR before it) without decoding them, so that the JSON
/// parser sees the exact bytes and rejects invalid UTF-8 itself. Lines over the limit are reported, not buffered.
/// </summary>
internal sealed class BatchLineReader
{
    private readonly Stream _input;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _firstLine = true;

    /// <summary>Creates a reader.</summary>
    /// <param name="input">The stream.</param>
    /// <param name="maxLineBytes">The longest line accepted.</param>
    public BatchLineReader(Stream input, int maxLineBytes)
    {
        _input = input;
        _buffer = new byte[maxLineBytes + 1];
    }

    /// <summary>Reads the next line.</summary>
    /// <param name="line">The line without its terminator; valid until the next call.</param>
    /// <param name="tooLong">Whether the line exceeded the limit (then <paramref name="line"/> is empty and the rest was skipped).</param>
    /// <returns><see langword="false"/> at the end of the stream.</returns>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        tooLong = false;
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                line = Trim(_start, newline);
                _start = newline + 1;
                return true;
            }
            if (_endOfStream)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }
                line = Trim(_start, _end);
                _start = _end;
                return true;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                SkipRestOfLine();
                _firstLine = false;
                tooLong = true;
                line = default;
                return true;
            }
            int read = _input.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _endOfStream = true;
            }
            _end += read;
        }
    }

    private ReadOnlyMemory<byte> Trim(int start, int end)
    {
        // A UTF-8 byte-order mark (EF BB BF) before the first line is skipped, as JSON-lines readers do (RFC 8259 §8.1
        // lets a parser ignore it); anywhere else it stays and the line is not valid JSON.
        if (_firstLine)
        {
            _firstLine = false;
            if (end - start >= 3 && _buffer[start] == 0xEF && _buffer[start + 1] == 0xBB && _buffer[start + 2] == 0xBF)
            {
                start += 3;
            }
        }
        if (end > start && _buffer[end - 1] == (byte)'\r')
        {
            end--;
        }
        return _buffer.AsMemory(start, end - start);
    }

    private void SkipRestOfLine()
    {
        _start = _end = 0;
        while (true)
        {
            int read = _input.Read(_buffer, 0, _buffer.Length);
            if (read == 0)
            {
                _endOfStream = true;
                return;
            }
            int newline = Array.IndexOf(_buffer, (byte)'\n', 0, read);
            if (newline >= 0)
            {
                _start = newline + 1;
                _end = read;
                return;
            }
        }
    }
}
