namespace PasswordHashSync;

/// <summary>
/// The one decimal-number parser for untrusted text (digest strings, LDIF integers, SID text, encryption-type
/// numbers). It takes exactly the canonical spelling: ASCII digits <c>0</c>-<c>9</c> only, no leading zeros (except
/// the single digit <c>0</c>), no sign unless asked for, no whitespace, no NUL, no group separators, and refuses a
/// value above the caller's maximum instead of wrapping.
/// </summary>
/// <remarks>
/// .NET's <c>int.TryParse</c> also accepts trailing NUL characters (and, with other styles, whitespace, signs and
/// culture-specific digits), so one value had several spellings: <c>1000</c> and <c>1000\0</c> parsed the same. Every
/// number read from outside goes through here so that a value has one spelling, as the LDAP Integer syntax
/// (RFC 4517 section 3.3.16: <c>( HYPHEN LDIGIT *DIGIT ) / number</c>) also requires.
/// </remarks>
internal static class StrictDecimal
{
    /// <summary>Parses an unsigned number from 0 to <paramref name="maximum"/>.</summary>
    public static bool TryParseUInt64(ReadOnlySpan<char> text, ulong maximum, out ulong value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 20 || (text[0] == '0' && text.Length > 1))
        {
            return false;
        }

        ulong result = 0;
        foreach (char c in text)
        {
            uint digit = (uint)(c - '0');
            if (digit > 9)
            {
                return false;
            }

            // result * 10 + digit <= maximum, checked without overflowing.
            if (result > maximum / 10 || (result == maximum / 10 && digit > maximum % 10))
            {
                return false;
            }

            result = (result * 10) + digit;
        }

        value = result;
        return true;
    }

    /// <summary>Parses a number from <paramref name="minimum"/> to <paramref name="maximum"/> (a sign only when <paramref name="minimum"/> is negative).</summary>
    public static bool TryParseInt32(ReadOnlySpan<char> text, int minimum, int maximum, out int value)
    {
        value = 0;
        if (!TryParseInt64(text, minimum < 0, out long wide) || wide < minimum || wide > maximum)
        {
            return false;
        }

        value = (int)wide;
        return true;
    }

    /// <summary>
    /// Parses a signed 64-bit number: an optional <c>-</c> (only when <paramref name="allowNegative"/>; never <c>-0</c>)
    /// followed by the canonical digits.
    /// </summary>
    public static bool TryParseInt64(ReadOnlySpan<char> text, bool allowNegative, out long value)
    {
        value = 0;
        if (!text.IsEmpty && text[0] == '-')
        {
            if (!allowNegative || !TryParseUInt64(text[1..], (ulong)long.MaxValue + 1, out ulong magnitude) || magnitude == 0)
            {
                return false;
            }

            value = unchecked(-(long)magnitude);
            return true;
        }

        if (!TryParseUInt64(text, long.MaxValue, out ulong positive))
        {
            return false;
        }

        value = (long)positive;
        return true;
    }
}
