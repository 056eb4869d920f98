using System.Buffers;
using System.Security.Cryptography;
using PasswordHashSync.Cryptography;

namespace PasswordHashSync.Kerberos;

/// <summary>
/// RFC 3961 6.2 mit_des_string_to_key, the key of both des-cbc-crc and des-cbc-md5: fan-fold password ‖ salt
/// into 56 bits (every other block bit-reversed), add parity, correct weak keys, then take the DES-CBC checksum
/// of the padded input under that key (key = IV) and correct again.
/// </summary>
internal static class DesStringToKey
{
    private const int StackLimit = 512;

    // The 4 weak and 12 semi-weak DES keys, with odd parity (FIPS 74; RFC 3961 6.2 key_correction).
    private static ReadOnlySpan<byte> WeakKeys =>
    [
        0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
        0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe,
        0xe0, 0xe0, 0xe0, 0xe0, 0xf1, 0xf1, 0xf1, 0xf1,
        0x1f, 0x1f, 0x1f, 0x1f, 0x0e, 0x0e, 0x0e, 0x0e,
        0x01, 0x1f, 0x01, 0x1f, 0x01, 0x0e, 0x01, 0x0e,
        0x1f, 0x01, 0x1f, 0x01, 0x0e, 0x01, 0x0e, 0x01,
        0x01, 0xe0, 0x01, 0xe0, 0x01, 0xf1, 0x01, 0xf1,
        0xe0, 0x01, 0xe0, 0x01, 0xf1, 0x01, 0xf1, 0x01,
        0x01, 0xfe, 0x01, 0xfe, 0x01, 0xfe, 0x01, 0xfe,
        0xfe, 0x01, 0xfe, 0x01, 0xfe, 0x01, 0xfe, 0x01,
        0x1f, 0xe0, 0x1f, 0xe0, 0x0e, 0xf1, 0x0e, 0xf1,
        0xe0, 0x1f, 0xe0, 0x1f, 0xf1, 0x0e, 0xf1, 0x0e,
        0x1f, 0xfe, 0x1f, 0xfe, 0x0e, 0xfe, 0x0e, 0xfe,
        0xfe, 0x1f, 0xfe, 0x1f, 0xfe, 0x0e, 0xfe, 0x0e,
        0xe0, 0xfe, 0xe0, 0xfe, 0xf1, 0xfe, 0xf1, 0xfe,
        0xfe, 0xe0, 0xfe, 0xe0, 0xfe, 0xf1, 0xfe, 0xf1,
    ];

    public static void Derive(ReadOnlySpan<byte> utf8Password, ReadOnlySpan<byte> salt, Span<byte> destination) =>
        Derive(utf8Password, salt, destination, default);

    /// <summary>
    /// Derives the key; when <paramref name="intermediateKey"/> is not empty it also receives the corrected fan-folded
    /// key used as the CBC key and IV (RFC 3961 A.2 publishes it, which lets tests tell a fold bug from a CBC bug).
    /// </summary>
    internal static void Derive(ReadOnlySpan<byte> utf8Password, ReadOnlySpan<byte> salt, Span<byte> destination, Span<byte> intermediateKey)
    {
        int length = utf8Password.Length + salt.Length;
        int padded = (length + 7) & ~7;
        byte[]? rented = null;
        Span<byte> s = padded <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(padded));
        s = s[..padded];
        Span<byte> tempKey = stackalloc byte[8];
        try
        {
            utf8Password.CopyTo(s);
            salt.CopyTo(s[utf8Password.Length..]);
            s[length..].Clear();

            ulong folded = 0;
            bool odd = true;
            for (int offset = 0; offset < padded; offset += 8)
            {
                ulong bits = 0;
                for (int i = 0; i < 8; i++)
                {
                    bits = (bits << 7) | (uint)(s[offset + i] & 0x7f);
                }

                if (!odd)
                {
                    bits = Reverse56(bits);
                }

                odd = !odd;
                folded ^= bits;
            }

            for (int i = 0; i < 8; i++)
            {
                tempKey[i] = (byte)((folded >> (56 - (7 * (i + 1)))) << 1);
            }

            CorrectKey(tempKey);
            if (!intermediateKey.IsEmpty)
            {
                tempKey.CopyTo(intermediateKey);
            }

            DesBlock.CbcMac(tempKey, tempKey, s, destination[..8]);
            CorrectKey(destination[..8]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(s);
            CryptographicOperations.ZeroMemory(tempKey);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Fixes odd parity and, for a weak or semi-weak key, XORs the last byte with 0xF0.</summary>
    internal static void CorrectKey(Span<byte> key)
    {
        for (int i = 0; i < 8; i++)
        {
            key[i] = DesBlock.SetOddParity(key[i]);
        }

        if (IsWeakKey(key))
        {
            key[7] ^= 0xf0;
        }
    }

    internal static bool IsWeakKey(ReadOnlySpan<byte> key)
    {
        for (int offset = 0; offset < WeakKeys.Length; offset += 8)
        {
            if (key.SequenceEqual(WeakKeys.Slice(offset, 8)))
            {
                return true;
            }
        }

        return false;
    }

    private static ulong Reverse56(ulong value)
    {
        ulong result = 0;
        for (int i = 0; i < 56; i++)
        {
            result = (result << 1) | ((value >> i) & 1);
        }

        return result;
    }
}
