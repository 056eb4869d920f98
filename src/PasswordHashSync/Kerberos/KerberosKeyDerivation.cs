using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace PasswordHashSync.Kerberos;

/// <summary>
/// Kerberos string-to-key for every encryption type Active Directory uses: RFC 3962 (AES-SHA1), RFC 8009
/// (AES-SHA2), RFC 3961 (DES), RFC 4757 (RC4-HMAC = NT hash).
/// </summary>
/// <remarks>
/// <para>The password is converted to UTF-8 for the AES and DES types, with lone surrogates replaced by U+FFFD as
/// Windows does (MS-KILE 3.1.1.2); RC4-HMAC hashes the UTF-16LE code units unchanged. Salts are bytes; see
/// <see cref="KerberosSalt"/> for AD's rules.</para>
/// <para>Iteration counts apply to the AES types only; pass <see langword="null"/> for the type's default
/// (4096 for RFC 3962, 32768 for RFC 8009). DES and RC4-HMAC ignore the count.</para>
/// </remarks>
public static class KerberosKeyDerivation
{
    /// <summary>
    /// The highest accepted iteration count: 16,777,215 (2^24 - 1), MIT krb5's implementation limit. Counts come from
    /// directory blobs and KDC replies; the cap keeps a hostile value from pinning a core for hours.
    /// </summary>
    public const int MaxIterationCount = (1 << 24) - 1;

    /// <summary>The largest key any supported type produces, in bytes.</summary>
    public const int MaxKeySize = 32;

    // Passwords up to this many UTF-8 bytes are converted on the stack; longer ones use a pooled buffer.
    private const int StackUtf8Limit = 512;

    /// <summary>Derives the key of <paramref name="encryptionType"/> into <paramref name="destination"/>.</summary>
    /// <param name="encryptionType">The encryption type.</param>
    /// <param name="password">The password.</param>
    /// <param name="salt">The salt bytes (ignored by RC4-HMAC).</param>
    /// <param name="destination">Receives the key; at least <see cref="KerberosEncryptionTypes.GetKeySize"/> bytes.</param>
    /// <param name="iterationCount">The iteration count for AES types, or <see langword="null"/> for the default.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unknown type, or an iteration count outside 1 to <see cref="MaxIterationCount"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    public static int DeriveKey(
        KerberosEncryptionType encryptionType,
        ReadOnlySpan<char> password,
        ReadOnlySpan<byte> salt,
        Span<byte> destination,
        int? iterationCount = null)
    {
        if (!TryDeriveKey(encryptionType, password, salt, destination, out int written, iterationCount))
        {
            throw new ArgumentException(
                $"The destination must hold at least {KerberosEncryptionTypes.GetKeySize(encryptionType)} bytes.", nameof(destination));
        }

        return written;
    }

    /// <summary>Tries to derive the key of <paramref name="encryptionType"/> into <paramref name="destination"/>.</summary>
    /// <param name="encryptionType">The encryption type.</param>
    /// <param name="password">The password.</param>
    /// <param name="salt">The salt bytes.</param>
    /// <param name="destination">Receives the key.</param>
    /// <param name="bytesWritten">The key size on success, otherwise 0.</param>
    /// <param name="iterationCount">The iteration count for AES types, or <see langword="null"/> for the default.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unknown type, or an iteration count outside 1 to <see cref="MaxIterationCount"/>.</exception>
    public static bool TryDeriveKey(
        KerberosEncryptionType encryptionType,
        ReadOnlySpan<char> password,
        ReadOnlySpan<byte> salt,
        Span<byte> destination,
        out int bytesWritten,
        int? iterationCount = null)
    {
        int keySize = KerberosEncryptionTypes.GetKeySize(encryptionType);
        int iterations = ResolveIterations(encryptionType, iterationCount);
        if (destination.Length < keySize)
        {
            bytesWritten = 0;
            return false;
        }

        if (encryptionType == KerberosEncryptionType.Rc4Hmac)
        {
            NtHash.Compute(password, destination);
            bytesWritten = keySize;
            return true;
        }

        byte[]? rented = null;
        int maxUtf8 = Encoding.UTF8.GetMaxByteCount(password.Length);
        Span<byte> utf8 = maxUtf8 <= StackUtf8Limit
            ? stackalloc byte[StackUtf8Limit]
            : (rented = ArrayPool<byte>.Shared.Rent(maxUtf8));
        try
        {
            // Encoding.UTF8 replaces lone surrogates with U+FFFD, which is what Windows does.
            int utf8Length = Encoding.UTF8.GetBytes(password, utf8);
            DeriveFromUtf8(encryptionType, utf8[..utf8Length], salt, iterations, destination[..keySize]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented is null ? utf8 : rented);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        bytesWritten = keySize;
        return true;
    }

    /// <summary>Derives one key and returns it with its salt and iteration count.</summary>
    /// <param name="encryptionType">The encryption type.</param>
    /// <param name="password">The password.</param>
    /// <param name="salt">The salt bytes.</param>
    /// <param name="iterationCount">The iteration count for AES types, or <see langword="null"/> for the default.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> or <paramref name="salt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Unknown type, or an iteration count outside 1 to <see cref="MaxIterationCount"/>.</exception>
    public static KerberosKey DeriveKey(KerberosEncryptionType encryptionType, string password, byte[] salt, int? iterationCount = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(salt);
        return DeriveKey(encryptionType, password.AsSpan(), salt, iterationCount);
    }

    /// <summary>Derives one key from a span password and returns it with its salt and iteration count.</summary>
    /// <param name="encryptionType">The encryption type.</param>
    /// <param name="password">The password.</param>
    /// <param name="salt">The salt bytes.</param>
    /// <param name="iterationCount">The iteration count for AES types, or <see langword="null"/> for the default.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unknown type, or an iteration count outside 1 to <see cref="MaxIterationCount"/>.</exception>
    public static KerberosKey DeriveKey(KerberosEncryptionType encryptionType, ReadOnlySpan<char> password, ReadOnlySpan<byte> salt, int? iterationCount = null)
    {
        Span<byte> key = stackalloc byte[MaxKeySize];
        int written = DeriveKey(encryptionType, password, salt, key, iterationCount);
        try
        {
            return CreateKey(encryptionType, key[..written], salt, ResolveIterations(encryptionType, iterationCount));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Derives the keys of several encryption types for one password and salt in one call. AES256 and AES128
    /// (SHA-1) share one PBKDF2 run: the AES128 input is the first 16 bytes of the 32-byte output.
    /// </summary>
    /// <param name="password">The password.</param>
    /// <param name="salt">The salt bytes.</param>
    /// <param name="encryptionTypes">The types to derive, in the order wanted; duplicates are rejected.</param>
    /// <param name="iterationCount">The iteration count for AES types, or <see langword="null"/> for each type's default.</param>
    /// <returns>The keys, in the order of <paramref name="encryptionTypes"/>.</returns>
    /// <exception cref="ArgumentException">A type appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Unknown type, or an iteration count outside 1 to <see cref="MaxIterationCount"/>.</exception>
    public static IReadOnlyList<KerberosKey> DeriveKeys(
        ReadOnlySpan<char> password,
        ReadOnlySpan<byte> salt,
        ReadOnlySpan<KerberosEncryptionType> encryptionTypes,
        int? iterationCount = null)
    {
        for (int i = 0; i < encryptionTypes.Length; i++)
        {
            _ = KerberosEncryptionTypes.GetKeySize(encryptionTypes[i]);
            _ = ResolveIterations(encryptionTypes[i], iterationCount);
            if (encryptionTypes[..i].Contains(encryptionTypes[i]))
            {
                throw new ArgumentException($"Encryption type {KerberosEncryptionTypes.GetName(encryptionTypes[i])} is listed twice.", nameof(encryptionTypes));
            }
        }

        bool wantsAes256 = encryptionTypes.Contains(KerberosEncryptionType.Aes256CtsHmacSha196);
        bool wantsAes128 = encryptionTypes.Contains(KerberosEncryptionType.Aes128CtsHmacSha196);
        bool wantsDes = encryptionTypes.Contains(KerberosEncryptionType.DesCbcMd5) || encryptionTypes.Contains(KerberosEncryptionType.DesCbcCrc);

        var keys = new KerberosKey[encryptionTypes.Length];
        Span<byte> aes256 = stackalloc byte[32];
        Span<byte> aes128 = stackalloc byte[16];
        Span<byte> des = stackalloc byte[8];
        Span<byte> scratch = stackalloc byte[MaxKeySize];
        byte[]? rented = null;
        int maxUtf8 = Encoding.UTF8.GetMaxByteCount(password.Length);
        Span<byte> utf8Buffer = maxUtf8 <= StackUtf8Limit ? stackalloc byte[StackUtf8Limit] : (rented = ArrayPool<byte>.Shared.Rent(maxUtf8));
        try
        {
            ReadOnlySpan<byte> utf8 = utf8Buffer[..Encoding.UTF8.GetBytes(password, utf8Buffer)];
            int sha1Iterations = iterationCount ?? 4096;
            if (wantsAes256 || wantsAes128)
            {
                AesSha1StringToKey.DeriveBoth(utf8, salt, sha1Iterations, wantsAes256 ? aes256 : default, wantsAes128 ? aes128 : default);
            }

            if (wantsDes)
            {
                DesStringToKey.Derive(utf8, salt, des);
            }

            for (int i = 0; i < encryptionTypes.Length; i++)
            {
                KerberosEncryptionType type = encryptionTypes[i];
                int iterations = ResolveIterations(type, iterationCount);
                switch (type)
                {
                    case KerberosEncryptionType.Aes256CtsHmacSha196:
                        keys[i] = CreateKey(type, aes256, salt, iterations);
                        break;
                    case KerberosEncryptionType.Aes128CtsHmacSha196:
                        keys[i] = CreateKey(type, aes128, salt, iterations);
                        break;
                    case KerberosEncryptionType.DesCbcMd5 or KerberosEncryptionType.DesCbcCrc:
                        keys[i] = CreateKey(type, des, salt, iterations);
                        break;
                    case KerberosEncryptionType.Rc4Hmac:
                        NtHash.Compute(password, scratch);
                        keys[i] = CreateKey(type, scratch[..16], salt, iterations);
                        break;
                    default:
                        int size = KerberosEncryptionTypes.GetKeySize(type);
                        DeriveFromUtf8(type, utf8, salt, iterations, scratch[..size]);
                        keys[i] = CreateKey(type, scratch[..size], salt, iterations);
                        break;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aes256);
            CryptographicOperations.ZeroMemory(aes128);
            CryptographicOperations.ZeroMemory(des);
            CryptographicOperations.ZeroMemory(scratch);
            CryptographicOperations.ZeroMemory(rented is null ? utf8Buffer : rented);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return keys;
    }

    /// <summary>
    /// Derives a key from a password given as raw UTF-16LE bytes (machine, gMSA and trust passwords are random
    /// UTF-16 and may hold lone surrogates), without a round trip through <see cref="string"/>.
    /// </summary>
    /// <param name="encryptionType">The encryption type.</param>
    /// <param name="utf16LittleEndianPassword">The password's UTF-16LE code units; the length must be even.</param>
    /// <param name="salt">The salt bytes.</param>
    /// <param name="destination">Receives the key.</param>
    /// <param name="iterationCount">The iteration count for AES types, or <see langword="null"/> for the default.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">Odd password length, or <paramref name="destination"/> too small.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Unknown type, or an iteration count outside 1 to <see cref="MaxIterationCount"/>.</exception>
    public static int DeriveKeyFromUtf16(
        KerberosEncryptionType encryptionType,
        ReadOnlySpan<byte> utf16LittleEndianPassword,
        ReadOnlySpan<byte> salt,
        Span<byte> destination,
        int? iterationCount = null)
    {
        if (utf16LittleEndianPassword.Length % 2 != 0)
        {
            throw new ArgumentException("A UTF-16LE password must have an even number of bytes.", nameof(utf16LittleEndianPassword));
        }

        int charCount = utf16LittleEndianPassword.Length / 2;
        char[] chars = ArrayPool<char>.Shared.Rent(Math.Max(charCount, 1));
        try
        {
            for (int i = 0; i < charCount; i++)
            {
                chars[i] = (char)(utf16LittleEndianPassword[2 * i] | (utf16LittleEndianPassword[(2 * i) + 1] << 8));
            }

            return DeriveKey(encryptionType, chars.AsSpan(0, charCount), salt, destination, iterationCount);
        }
        finally
        {
            chars.AsSpan().Clear();
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    internal static void DeriveFromUtf8(KerberosEncryptionType encryptionType, ReadOnlySpan<byte> utf8Password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination)
    {
        switch (encryptionType)
        {
            case KerberosEncryptionType.Aes256CtsHmacSha196:
                AesSha1StringToKey.DeriveBoth(utf8Password, salt, iterations, destination, default);
                break;
            case KerberosEncryptionType.Aes128CtsHmacSha196:
                AesSha1StringToKey.DeriveBoth(utf8Password, salt, iterations, default, destination);
                break;
            case KerberosEncryptionType.Aes128CtsHmacSha256128:
            case KerberosEncryptionType.Aes256CtsHmacSha384192:
                AesSha2StringToKey.Derive(encryptionType, utf8Password, salt, iterations, destination);
                break;
            case KerberosEncryptionType.DesCbcCrc:
            case KerberosEncryptionType.DesCbcMd5:
                DesStringToKey.Derive(utf8Password, salt, destination);
                break;
            default:
                throw KerberosEncryptionTypes.Unsupported(encryptionType);
        }
    }

    private static int ResolveIterations(KerberosEncryptionType encryptionType, int? iterationCount)
    {
        int defaultCount = KerberosEncryptionTypes.GetDefaultIterationCount(encryptionType);
        if (iterationCount is int given && given is <= 0 or > MaxIterationCount)
        {
            throw new ArgumentOutOfRangeException(nameof(iterationCount), given, $"The iteration count must be from 1 to {MaxIterationCount}.");
        }

        return defaultCount == 0 ? 0 : iterationCount ?? defaultCount;
    }

    private static KerberosKey CreateKey(KerberosEncryptionType type, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, int iterations) =>
        new(type, key, type == KerberosEncryptionType.Rc4Hmac ? default : salt, iterations);
}
