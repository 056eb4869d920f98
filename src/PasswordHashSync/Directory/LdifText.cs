using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PasswordHashSync.Directory;

/// <summary>
/// The byte form of LDIF text the reader works on, and its way back to .NET strings. Lines are UTF-8; a line that
/// came from UTF-16 text (a <see cref="TextReader"/>) may hold a lone surrogate, which is kept as its 3-byte
/// generalized UTF-8 form (WTF-8: ED A0-BF xx) so that a name or DN with one reads back exactly as the char reader
/// gave it, and a value with one is refused as "not well-formed UTF-16" where the char reader refused it.
/// </summary>
internal static class LdifText
{
    /// <summary>Names up to this many bytes are widened on the stack.</summary>
    public const int StackLimit = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The UTF-16 length of valid UTF-8 (every byte that is not a continuation byte, plus one per 4-byte sequence).</summary>
    public static int Utf16Length(ReadOnlySpan<byte> utf8)
    {
        if (Ascii.IsValid(utf8))
        {
            return utf8.Length;
        }

        int length = 0;
        foreach (byte b in utf8)
        {
            length += (b & 0xC0) != 0x80 ? (b >= 0xF0 ? 2 : 1) : 0;
        }

        return length;
    }

    /// <summary>Encodes UTF-16 as UTF-8, a lone surrogate as its 3-byte form; <paramref name="destination"/> holds 3 bytes per char.</summary>
    public static int FromUtf16(ReadOnlySpan<char> text, Span<byte> destination)
    {
        int written = 0;
        while (true)
        {
            OperationStatus status = Utf8.FromUtf16(text, destination[written..], out int read, out int bytes, replaceInvalidSequences: false);
            written += bytes;
            text = text[read..];
            if (status == OperationStatus.Done)
            {
                return written;
            }

            // InvalidData: text[0] is a lone surrogate (the destination is large enough by construction).
            char c = text[0];
            destination[written] = (byte)(0xE0 | (c >> 12));
            destination[written + 1] = (byte)(0x80 | ((c >> 6) & 0x3F));
            destination[written + 2] = (byte)(0x80 | (c & 0x3F));
            written += 3;
            text = text[1..];
        }
    }

    /// <summary>Decodes UTF-8 (lone surrogates in their 3-byte form included) into <paramref name="destination"/>, one char per byte at most.</summary>
    public static int ToUtf16(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        if (Ascii.ToUtf16(bytes, destination, out int ascii) == OperationStatus.Done)
        {
            return ascii;
        }

        int written = 0;
        while (true)
        {
            OperationStatus status = Utf8.ToUtf16(bytes, destination[written..], out int read, out int chars, replaceInvalidSequences: false);
            written += chars;
            bytes = bytes[read..];
            if (status == OperationStatus.Done)
            {
                return written;
            }

            if (bytes is [0xED, >= 0xA0 and <= 0xBF, >= 0x80 and <= 0xBF, ..])
            {
                destination[written++] = (char)(0xD000 | ((bytes[1] & 0x3F) << 6) | (bytes[2] & 0x3F));
                bytes = bytes[3..];
            }
            else
            {
                // Not produced by the line readers (their UTF-8 is validated); kept total for safety.
                destination[written++] = '\uFFFD';
                bytes = bytes[1..];
            }
        }
    }

    /// <summary>The string of <paramref name="bytes"/> as the char reader held it (lone surrogates kept).</summary>
    public static string ToString(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        if (bytes.Length <= StackLimit)
        {
            Span<char> chars = stackalloc char[StackLimit];
            return new string(chars[..ToUtf16(bytes, chars)]);
        }

        char[] rented = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            return new string(rented, 0, ToUtf16(bytes, rented));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Whether the name <paramref name="bytes"/> equals <paramref name="name"/> under <see cref="StringComparison.OrdinalIgnoreCase"/>.</summary>
    public static bool NameIs(ReadOnlySpan<byte> bytes, string name)
    {
        if (Ascii.IsValid(bytes))
        {
            return bytes.Length == name.Length && Ascii.EqualsIgnoreCase(bytes, name);
        }

        // Outside ASCII, OrdinalIgnoreCase has its own case table: compare as the char reader did.
        return bytes.Length <= 3 * name.Length && ToString(bytes).Equals(name, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A strict UTF-8 decoding, as the char reader's <c>Utf8</c> did (same message and inner exception).</summary>
    public static string StrictString(ReadOnlySpan<byte> value, long line, string name)
    {
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException ex)
        {
            throw new LdifFormatException($"LDIF line {line}: the value of '{name}' is not valid UTF-8.", ex);
        }
    }

    /// <summary>A name or DN for a message: at most 64 chars, as the char reader printed it.</summary>
    public static string Printable(string value) => value.Length > 64 ? value[..64] + "..." : value;
}
