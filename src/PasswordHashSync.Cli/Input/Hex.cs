using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Input;

/// <summary>Hex parsing with messages that name the option and the expected length, never the value.</summary>
internal static class Hex
{
    /// <summary>Parses hex (either case) of an exact or bounded byte length.</summary>
    /// <param name="text">The hex text.</param>
    /// <param name="what">The option or field name, for messages.</param>
    /// <param name="minBytes">The smallest byte length.</param>
    /// <param name="maxBytes">The largest byte length.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="DataException">The text is not hex or has the wrong length.</exception>
    public static byte[] Parse(string text, string what, int minBytes, int maxBytes)
    {
        if (text.Length % 2 != 0 || !IsHex(text))
        {
            throw new DataException($"{what} must be hexadecimal digits, two per byte");
        }
        int bytes = text.Length / 2;
        if (bytes < minBytes || bytes > maxBytes)
        {
            throw new DataException(minBytes == maxBytes
                ? $"{what} must be {minBytes} bytes ({minBytes * 2} hex digits)"
                : $"{what} must be {minBytes} to {maxBytes} bytes");
        }
        return Convert.FromHexString(text);
    }

    /// <summary>Lowercase hex, the form pwsync always prints.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The hex text.</returns>
    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static bool IsHex(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
