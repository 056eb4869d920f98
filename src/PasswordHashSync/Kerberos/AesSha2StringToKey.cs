using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PasswordHashSync.Kerberos;

/// <summary>
/// RFC 8009 string-to-key: tkey = PBKDF2-HMAC-SHA256/384(password, etype-name ‖ 0x00 ‖ salt, iterations),
/// key = KDF-HMAC-SHA2(tkey, "kerberos", key bits).
/// </summary>
internal static class AesSha2StringToKey
{
    private const int StackSaltLimit = 256;

    private static ReadOnlySpan<byte> Aes128Name => "aes128-cts-hmac-sha256-128"u8;

    private static ReadOnlySpan<byte> Aes256Name => "aes256-cts-hmac-sha384-192"u8;

    public static void Derive(KerberosEncryptionType encryptionType, ReadOnlySpan<byte> utf8Password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination)
    {
        bool is256 = encryptionType == KerberosEncryptionType.Aes256CtsHmacSha384192;
        ReadOnlySpan<byte> name = is256 ? Aes256Name : Aes128Name;
        HashAlgorithmName hash = is256 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        int keyLength = is256 ? 32 : 16;

        int saltpLength = name.Length + 1 + salt.Length;
        byte[]? rented = null;
        Span<byte> saltp = saltpLength <= StackSaltLimit ? stackalloc byte[StackSaltLimit] : (rented = ArrayPool<byte>.Shared.Rent(saltpLength));
        saltp = saltp[..saltpLength];
        name.CopyTo(saltp);
        saltp[name.Length] = 0;
        salt.CopyTo(saltp[(name.Length + 1)..]);

        Span<byte> tkey = stackalloc byte[32];
        Span<byte> mac = stackalloc byte[48];
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(utf8Password, saltp, tkey[..keyLength], iterations, hash);

            // KDF-HMAC-SHA2 (RFC 8009 3): SP 800-108 counter mode, one block: 00000001 | "kerberos" | 00 | BE32(k).
            Span<byte> input = stackalloc byte[4 + 8 + 1 + 4];
            BinaryPrimitives.WriteUInt32BigEndian(input, 1);
            "kerberos"u8.CopyTo(input[4..]);
            input[12] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(input[13..], (uint)(keyLength * 8));
            int macLength = is256
                ? HMACSHA384.HashData(tkey[..keyLength], input, mac)
                : HMACSHA256.HashData(tkey[..keyLength], input, mac);
            mac[..keyLength].CopyTo(destination);
            _ = macLength;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tkey);
            CryptographicOperations.ZeroMemory(mac);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
