using System.Buffers.Text;
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
/// each checked before the memory is spent, with the full reader's messages. Nothing else is held. The lines are UTF-8
/// bytes (<see cref="LdifByteLineReader"/>), unfolded by the full reader's <see cref="LdifLogicalLine"/>.</para>
/// </remarks>
internal sealed class LdifIdentityScanner
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly LdifReaderOptions _options;
    private readonly LdifLogicalLine _logical;
    private Capture _capture;
    private long _lineNumber;
    private bool _inRecord;
    private bool _skippingRecord;
    private bool _seenAnyRecord;
    private bool _guidSeen;
    private string? _dn;
    private Guid? _guid;

    public LdifIdentityScanner(LdifReaderOptions options)
    {
        _options = options;
        _logical = new LdifLogicalLine(options.MaxLineLength);
    }

    private enum Capture
    {
        None,

        /// <summary>The line so far has no colon: its name (folded, RFC 2849 section 2) is not known yet.</summary>
        Pending,
        Dn,
        Guid,
    }

    /// <summary>Feeds one physical line (UTF-8, without its line ending) of <paramref name="utf16Length"/> UTF-16 characters.</summary>
    /// <returns>The identity of a completed record, or <see langword="null"/>.</returns>
    public LdifObjectIdentity? Accept(ReadOnlySpan<byte> line, int utf16Length)
    {
        _lineNumber++;
        if (line.Length > 0 && line[0] == (byte)' ')
        {
            if (_capture != Capture.None)
            {
                _logical.Append(line[1..], utf16Length - 1);
                if (_capture == Capture.Pending && _logical.Text.IndexOf((byte)':') is int colon and >= 0)
                {
                    _capture = Classify(_logical.Text, colon);
                }
            }

            return null;
        }

        CompleteLogicalLine();
        if (line.Length == 0)
        {
            return TakeRecord();
        }

        Start(line, utf16Length);
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

    private void Start(ReadOnlySpan<byte> line, int utf16Length)
    {
        _capture = Capture.None;
        if (line[0] == (byte)'#' || _skippingRecord)
        {
            return;
        }

        int colon = line.IndexOf((byte)':');
        _capture = colon < 0 ? Capture.Pending : Classify(line, colon);
        if (_capture != Capture.None)
        {
            _logical.Start(line, utf16Length, _lineNumber);
        }
    }

    /// <summary>What the logical line named by <paramref name="text"/>[..<paramref name="colon"/>] is to the scan (the full reader's record rules).</summary>
    private Capture Classify(ReadOnlySpan<byte> text, int colon)
    {
        if (colon == 0)
        {
            return Capture.None;
        }

        ReadOnlySpan<byte> name = text[..colon];
        int semicolon = name.IndexOf((byte)';');
        if (semicolon >= 0)
        {
            name = name[..semicolon];
        }

        if (!_inRecord)
        {
            if (!_seenAnyRecord && LdifText.NameIs(name, "version"))
            {
                _seenAnyRecord = true;
                return Capture.None;
            }

            _seenAnyRecord = true;
            if (LdifText.NameIs(name, "ref"))
            {
                _skippingRecord = true;
                return Capture.None;
            }

            return LdifText.NameIs(name, "dn") ? Capture.Dn : Capture.None;
        }

        if (!_guidSeen && LdifText.NameIs(name, "objectGUID"))
        {
            _guidSeen = true;
            return Capture.Guid;
        }

        return Capture.None;
    }

    private void CompleteLogicalLine()
    {
        Capture capture = _capture;
        _capture = Capture.None;
        if (capture is Capture.None or Capture.Pending)
        {
            _logical.Discard();
            return;
        }

        ReadOnlySpan<byte> text = _logical.Close();
        int index = text.IndexOf((byte)':') + 1;
        bool isBase64 = index < text.Length && text[index] == (byte)':';
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

    private string Dn(ReadOnlySpan<byte> text, int index, bool isBase64)
    {
        if (!isBase64)
        {
            while (index < text.Length && text[index] == (byte)' ')
            {
                index++;
            }

            // The value's UTF-8 bytes (a lone surrogate from a text reader counts 3, as Encoding.UTF8 counted it).
            ReadOnlySpan<byte> value = text[index..];
            return value.Length > _options.MaxValueSize ? throw TooLarge() : LdifText.ToString(value);
        }

        ReadOnlySpan<byte> base64 = text[(index + 1)..].Trim((byte)' ');
        if (((long)base64.Length / 4 * 3) - 2 > _options.MaxValueSize)
        {
            throw TooLarge();
        }

        // A DN that does not decode gives a placeholder: the full reader refuses the record with its own message.
        if (!Base64.IsValid(base64, out int size))
        {
            return string.Empty;
        }

        byte[] bytes = new byte[size];
        if (Base64.DecodeFromUtf8(base64, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != size)
        {
            return string.Empty;
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return string.Empty;
        }
    }

    private static Guid? ParseGuid(ReadOnlySpan<byte> text, int index, bool isBase64)
    {
        if (isBase64)
        {
            // The same value the full reader maps: 16 bytes in AD's little-endian field order.
            ReadOnlySpan<byte> base64 = text[(index + 1)..].Trim((byte)' ');
            Span<byte> bytes = stackalloc byte[16];
            return Base64.IsValid(base64, out int size) && size == 16
                && Base64.DecodeFromUtf8(base64, bytes, out _, out int written) == System.Buffers.OperationStatus.Done && written == 16
                ? new Guid(bytes)
                : null;
        }

        while (index < text.Length && text[index] == (byte)' ')
        {
            index++;
        }

        // Parsed as chars, as the full reader does (Guid.TryParse trims what it considers white space).
        ReadOnlySpan<byte> value = text[index..];
        if (value.Length > LdifText.StackLimit)
        {
            return Guid.TryParse(LdifText.ToString(value), out Guid parsed) ? parsed : null;
        }

        Span<char> chars = stackalloc char[LdifText.StackLimit];
        return Guid.TryParse(chars[..LdifText.ToUtf16(value, chars)], out Guid guid) ? guid : null;
    }

    private LdifFormatException TooLarge() =>
        new(_logical.StartLine, $"the value of 'dn' is larger than the limit of {_options.MaxValueSize} bytes (LdifReaderOptions.MaxValueSize).");
}
