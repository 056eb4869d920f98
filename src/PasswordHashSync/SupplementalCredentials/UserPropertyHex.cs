namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// The hex text a USER_PROPERTIES property value is stored as (MS-SAMR 2.2.10.1: PropertyValue is the value's bytes
/// as hexadecimal characters), decoded straight into the pinned array the property keeps.
/// </summary>
internal static class UserPropertyHex
{
    /// <summary>Decodes the hex digits of the property <paramref name="name"/>; remembers whether they were all uppercase, so the writer reproduces them.</summary>
    /// <exception cref="SupplementalCredentialsFormatException">An odd number of digits, or a byte that is not a hex digit.</exception>
    public static byte[] Decode(ReadOnlySpan<byte> hex, string name, out bool uppercase)
    {
        if (hex.Length % 2 != 0)
        {
            throw new SupplementalCredentialsFormatException($"USER_PROPERTIES: the value of '{name}' has an odd number of hex digits ({hex.Length}).");
        }

        bool sawUpper = false;
        bool sawLower = false;

        // Decoded straight into the one pinned array the property keeps: no scratch copy of the secret.
        byte[] value = SecretBytes.Allocate(hex.Length / 2);
        for (int i = 0; i < value.Length; i++)
        {
            int high = Nibble(hex[2 * i], ref sawUpper, ref sawLower);
            int low = Nibble(hex[(2 * i) + 1], ref sawUpper, ref sawLower);
            if ((high | low) < 0)
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(value);
                throw new SupplementalCredentialsFormatException($"USER_PROPERTIES: the value of '{name}' holds a byte that is not a hex digit at position {2 * i}.");
            }

            value[i] = (byte)((high << 4) | low);
        }

        // Mixed case cannot be reproduced; such a value re-encodes in lowercase.
        uppercase = sawUpper && !sawLower;
        return value;
    }

    private static int Nibble(byte c, ref bool sawUpper, ref bool sawLower)
    {
        if (c is >= (byte)'0' and <= (byte)'9')
        {
            return c - '0';
        }

        if (c is >= (byte)'a' and <= (byte)'f')
        {
            sawLower = true;
            return c - 'a' + 10;
        }

        if (c is >= (byte)'A' and <= (byte)'F')
        {
            sawUpper = true;
            return c - 'A' + 10;
        }

        return -1;
    }
}
