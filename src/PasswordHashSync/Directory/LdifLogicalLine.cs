namespace PasswordHashSync.Directory;

/// <summary>
/// One logical LDIF line being unfolded (RFC 2849 section 2: a line starting with a space continues the previous one),
/// as UTF-8 bytes: the one unfolding buffer of both <see cref="LdifRecordParser"/> and <see cref="LdifIdentityScanner"/>.
/// The joined line has the limit of one physical line, <see cref="LdifReaderOptions.MaxLineLength"/> UTF-16 characters,
/// checked before the buffer grows.
/// </summary>
internal sealed class LdifLogicalLine(int maxLineLength)
{
    private byte[] _bytes = new byte[256];
    private int _length;
    private long _utf16Length;

    /// <summary>The physical line the logical line starts on.</summary>
    public long StartLine { get; private set; }

    /// <summary>Whether a logical line has been started and not taken yet.</summary>
    public bool IsOpen { get; private set; }

    /// <summary>The bytes so far.</summary>
    public ReadOnlySpan<byte> Text => _bytes.AsSpan(0, _length);

    /// <summary>Starts a logical line with the physical line <paramref name="line"/> (number <paramref name="lineNumber"/>).</summary>
    public void Start(ReadOnlySpan<byte> line, int utf16Length, long lineNumber)
    {
        _length = 0;
        _utf16Length = 0;
        StartLine = lineNumber;
        IsOpen = true;
        Append(line, utf16Length);
    }

    /// <summary>Appends a continuation line's text (without its leading space).</summary>
    public void Append(ReadOnlySpan<byte> text, int utf16Length)
    {
        if (_utf16Length + utf16Length > maxLineLength)
        {
            throw new LdifFormatException(StartLine,
                $"the line, unfolded, is longer than the limit of {maxLineLength} characters (LdifReaderOptions.MaxLineLength).");
        }

        int needed = _length + text.Length;
        if (needed > _bytes.Length)
        {
            // At most 3 UTF-8 bytes per UTF-16 character.
            Array.Resize(ref _bytes, (int)Math.Min(Array.MaxLength, Math.Min(3L * maxLineLength, Math.Max(needed, 2L * _bytes.Length))));
        }

        text.CopyTo(_bytes.AsSpan(_length));
        _length = needed;
        _utf16Length += utf16Length;
    }

    /// <summary>Ends the logical line; its bytes stay readable in <see cref="Text"/> until the next <see cref="Start"/>.</summary>
    public ReadOnlySpan<byte> Close()
    {
        IsOpen = false;
        return Text;
    }

    /// <summary>Forgets the line without reading it (a line the reader does not need).</summary>
    public void Discard() => IsOpen = false;
}
