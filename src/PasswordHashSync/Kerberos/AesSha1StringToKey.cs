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
            Rfc2898DeriveBytes.Pbkdf2(utf8Password, salt, tkey[..tkeyLength], iterations, HashAlgorithmName.SHA1);
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
}
