using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PasswordHashSync.Digest;

/// <summary>
/// The wire string <c>v1;PPH1_MD4,&lt;salt hex&gt;,&lt;iterations&gt;,&lt;hash hex&gt;;</c>: a strict, allocation-free
/// parser and the formatter. Hex is read in either case and written in lower case.
/// </summary>
internal static class SaltedDigestWireFormat
{
    public const string Prefix = "v1;PPH1_MD4,";

    /// <summary>The longest salt accepted from a wire string, in bytes. Generated salts are 10 bytes.</summary>
    public const int MaxSaltSize = 64;

    /// <summary>The longest wire string accepted: prefix, 64-byte salt, 10 digits, 32-byte hash, separators.</summary>
    public const int MaxLength = 12 + (2 * MaxSaltSize) + 1 + 10 + 1 + (2 * SaltedDigest.HashSize) + 1;

    /// <summary>
    /// Parses <paramref name="text"/>. On success the salt is in <c>salt[..saltLength]</c> and the hash in
    /// <paramref name="hash"/>; on failure <paramref name="error"/> says which rule was broken (never echoing the input).
    /// </summary>
    public static bool TryParse(
        ReadOnlySpan<char> text,
        Span<byte> salt,
        out int saltLength,
        out int iterationCount,
        Span<byte> hash,
        [NotNullWhen(false)] out string? error)
    {
        saltLength = 0;
        iterationCount = 0;
        if (text.IsEmpty)
        {
            error = "The digest string is empty.";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"The digest string is longer than {MaxLength} characters.";
            return false;
        }

        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = text.StartsWith("v1;", StringComparison.Ordinal)
                ? "Unsupported digest algorithm: only PPH1_MD4 is known."
                : "Unsupported digest version or prefix: expected 'v1;PPH1_MD4,'.";
            return false;
        }

        if (text[^1] != ';')
        {
            error = "The digest string must end with ';'.";
            return false;
        }

        ReadOnlySpan<char> body = text[Prefix.Length..^1];
        int firstComma = body.IndexOf(',');
        int secondComma = firstComma < 0 ? -1 : body[(firstComma + 1)..].IndexOf(',');
        if (firstComma < 0 || secondComma < 0)
        {
            error = "The digest string must have three comma-separated fields: salt, iterations, hash.";
            return false;
        }

        secondComma += firstComma + 1;
        ReadOnlySpan<char> saltHex = body[..firstComma];
        ReadOnlySpan<char> iterationText = body[(firstComma + 1)..secondComma];
        ReadOnlySpan<char> hashHex = body[(secondComma + 1)..];

        if (saltHex.IsEmpty || saltHex.Length % 2 != 0 || saltHex.Length > 2 * MaxSaltSize)
        {
            error = $"The salt must be an even number of hex digits, 2 to {2 * MaxSaltSize}.";
            return false;
        }

        if (!TryDecodeHex(saltHex, salt))
        {
            error = "The salt is not hexadecimal.";
            return false;
        }

        // StrictDecimal, not int.TryParse: that also takes trailing NULs, giving one digest several spellings.
        if (!StrictDecimal.TryParseInt32(iterationText, 1, int.MaxValue, out iterationCount))
        {
            iterationCount = 0;
            error = "The iteration count must be a decimal number from 1 to 2147483647 without sign or leading zeros.";
            return false;
        }

        if (hashHex.Length != 2 * SaltedDigest.HashSize)
        {
            error = $"The hash must be {2 * SaltedDigest.HashSize} hex digits ({SaltedDigest.HashSize} bytes).";
            return false;
        }

        if (!TryDecodeHex(hashHex, hash))
        {
            error = "The hash is not hexadecimal.";
            return false;
        }

        saltLength = saltHex.Length / 2;
        error = null;
        return true;
    }

    public static int GetLength(int saltLength, int iterationCount) =>
        Prefix.Length + (2 * saltLength) + 1 + CountDigits(iterationCount) + 1 + (2 * SaltedDigest.HashSize) + 1;

    public static bool TryFormat(ReadOnlySpan<byte> salt, int iterationCount, ReadOnlySpan<byte> hash, Span<char> destination, out int charsWritten)
    {
        int length = GetLength(salt.Length, iterationCount);
        if (destination.Length < length)
        {
            charsWritten = 0;
            return false;
        }

        Prefix.CopyTo(destination);
        int position = Prefix.Length;
        Convert.TryToHexStringLower(salt, destination[position..], out int written);
        position += written;
        destination[position++] = ',';
        iterationCount.TryFormat(destination[position..], out written, default, CultureInfo.InvariantCulture);
        position += written;
        destination[position++] = ',';
        Convert.TryToHexStringLower(hash, destination[position..], out written);
        position += written;
        destination[position++] = ';';
        charsWritten = position;
        return true;
    }

    private static bool TryDecodeHex(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        for (int i = 0; i < hex.Length; i += 2)
        {
            int high = HexValue(hex[i]);
            int low = HexValue(hex[i + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            destination[i / 2] = (byte)((high << 4) | low);
        }

        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static int CountDigits(int value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
