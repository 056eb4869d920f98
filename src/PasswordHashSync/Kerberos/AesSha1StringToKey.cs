using System.Security.Cryptography;

namespace PasswordHashSync.Kerberos;

/// <summary>RFC 3962 string-to-key: DK(PBKDF2-HMAC-SHA1(password, salt, iterations), "kerberos").</summary>
internal static class AesSha1StringToKey
{
    /// <summary>
    /// Derives the AES256 and/or AES128 key. Either destination may be empty to skip it. When both are wanted,
    /// PBKDF2 runs once for 32 bytes; the AES128 input key is its first 16 bytes (PBKDF2 output blocks are independent).
    /// </summary>
    public static void DeriveBoth(ReadOnlySpan<byte> utf8Password, ReadOnlySpan<byte> salt, int iterations, Span<byte> aes256, Span<byte> aes128)
    {
        Span<byte> tkey = stackalloc byte[32];
        try
        {
            int tkeyLength = aes256.IsEmpty ? 16 : 32;
            DeriveTemporaryKey(utf8Password, salt, iterations, tkey[..tkeyLength]);
            if (!aes256.IsEmpty)
            {
                KerberosDerivedKey.DeriveAesKey(tkey, aes256[..32]);
            }

            if (!aes128.IsEmpty)
            {
                KerberosDerivedKey.DeriveAesKey(tkey[..16], aes128[..16]);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tkey);
        }
    }

    /// <summary>The RFC 3962 intermediate key (tkey) before DK: PBKDF2-HMAC-SHA1 for the destination's length.</summary>
    internal static void DeriveTemporaryKey(ReadOnlySpan<byte> utf8Password, ReadOnlySpan<byte> salt, int iterations, Span<byte> tkey) =>
        Rfc2898DeriveBytes.Pbkdf2(utf8Password, salt, tkey, iterations, HashAlgorithmName.SHA1);
}
