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
        int keyLength = is256 ? 32 : 16;
        Span<byte> tkey = stackalloc byte[32];
        Span<byte> mac = stackalloc byte[48];
        try
        {
            DeriveTemporaryKey(encryptionType, utf8Password, salt, iterations, tkey[..keyLength]);

            // KDF-HMAC-SHA2 (RFC 8009 3): SP 800-108 counter mode, one block: 00000001 | "kerberos" | 00 | BE32(k).
            Span<byte> input = stackalloc byte[4 + 8 + 1 + 4];
            BinaryPrimitives.WriteUInt32BigEndian(input, 1);
            "kerberos"u8.CopyTo(input[4..]);
            input[12] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(input[13..], (uint)(keyLength * 8));
            _ = is256
                ? HMACSHA384.HashData(tkey[..keyLength], input, mac)
                : HMACSHA256.HashData(tkey[..keyLength], input, mac);
            mac[..keyLength].CopyTo(destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tkey);
            CryptographicOperations.ZeroMemory(mac);
        }
    }

    /// <summary>The length of saltp = etype name ‖ 0x00 ‖ salt.</summary>
    internal static int GetSaltpLength(KerberosEncryptionType encryptionType, int saltLength) => GetName(encryptionType).Length + 1 + saltLength;

    /// <summary>Writes saltp = etype name ‖ 0x00 ‖ salt (RFC 8009 4) into <paramref name="destination"/>.</summary>
    internal static void WriteSaltp(KerberosEncryptionType encryptionType, ReadOnlySpan<byte> salt, Span<byte> destination)
    {
        ReadOnlySpan<byte> name = GetName(encryptionType);
        name.CopyTo(destination);
        destination[name.Length] = 0;
        salt.CopyTo(destination[(name.Length + 1)..]);
    }

    /// <summary>The RFC 8009 intermediate key (tkey): PBKDF2-HMAC-SHA256/384(password, saltp, iterations).</summary>
    internal static void DeriveTemporaryKey(KerberosEncryptionType encryptionType, ReadOnlySpan<byte> utf8Password, ReadOnlySpan<byte> salt, int iterations, Span<byte> tkey)
    {
        HashAlgorithmName hash = encryptionType == KerberosEncryptionType.Aes256CtsHmacSha384192 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        int saltpLength = GetSaltpLength(encryptionType, salt.Length);
        byte[]? rented = null;
        Span<byte> saltp = saltpLength <= StackSaltLimit ? stackalloc byte[StackSaltLimit] : (rented = ArrayPool<byte>.Shared.Rent(saltpLength));
        saltp = saltp[..saltpLength];
        try
        {
            WriteSaltp(encryptionType, salt, saltp);
            Rfc2898DeriveBytes.Pbkdf2(utf8Password, saltp, tkey, iterations, hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ReadOnlySpan<byte> GetName(KerberosEncryptionType encryptionType) =>
        encryptionType == KerberosEncryptionType.Aes256CtsHmacSha384192 ? Aes256Name : Aes128Name;
}
