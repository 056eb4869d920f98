using System.Runtime.CompilerServices;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// Little-endian fields read from the hex text of a <c>supplementalCredentials</c> property, where the digits were
/// already checked (<see cref="SupplementalCredentialsKeyReader"/> refuses a property with any other byte first).
/// </summary>
/// <remarks>
/// Read digit by digit rather than through <see cref="Convert.FromHexString(ReadOnlySpan{byte}, Span{byte}, out int, out int)"/>
/// on a stack buffer: the key readers read a dozen fields per user, and the call per field showed in the profile.
/// </remarks>
internal static class HexFields
{
    /// <summary>The 16-bit little-endian field at byte <paramref name="offset"/> of the decoded structure.</summary>
    public static ushort UInt16(ReadOnlySpan<byte> hex, int offset)
    {
        ReadOnlySpan<byte> digits = hex.Slice(2 * offset, 4);
        return (ushort)(Byte(digits, 0) | (Byte(digits, 2) << 8));
    }

    /// <summary>The 32-bit little-endian field at byte <paramref name="offset"/> of the decoded structure.</summary>
    public static uint UInt32(ReadOnlySpan<byte> hex, int offset)
    {
        ReadOnlySpan<byte> digits = hex.Slice(2 * offset, 8);
        return (uint)Byte(digits, 0) | ((uint)Byte(digits, 2) << 8) | ((uint)Byte(digits, 4) << 16) | ((uint)Byte(digits, 6) << 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Byte(ReadOnlySpan<byte> digits, int index) => (Nibble(digits[index]) << 4) | Nibble(digits[index + 1]);

    // '0'-'9' are 0x30-0x39, 'A'-'F' 0x41-0x46, 'a'-'f' 0x61-0x66: the low nibble, plus 9 for a letter (bit 6 set).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Nibble(byte digit) => (digit & 0xF) + (9 * (digit >> 6));
}
