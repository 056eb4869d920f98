
namespace PasswordHashSync.Kerberos;

/// <summary>
/// Facts about <see cref="KerberosEncryptionType"/> values: MIT names, key sizes, default iteration counts.
/// </summary>
public static class KerberosEncryptionTypes
{
    private static readonly (string Name, KerberosEncryptionType Type)[] s_names =
    [
        // Canonical MIT names first (krb5 lib/crypto/krb/etypes.c), then MIT's aliases.
        ("des-cbc-crc", KerberosEncryptionType.DesCbcCrc),
        ("des-cbc-md5", KerberosEncryptionType.DesCbcMd5),
        ("aes128-cts-hmac-sha1-96", KerberosEncryptionType.Aes128CtsHmacSha196),
        ("aes256-cts-hmac-sha1-96", KerberosEncryptionType.Aes256CtsHmacSha196),
        ("aes128-cts-hmac-sha256-128", KerberosEncryptionType.Aes128CtsHmacSha256128),
        ("aes256-cts-hmac-sha384-192", KerberosEncryptionType.Aes256CtsHmacSha384192),
        ("arcfour-hmac", KerberosEncryptionType.Rc4Hmac),
        ("des", KerberosEncryptionType.DesCbcMd5),
        ("aes128-cts", KerberosEncryptionType.Aes128CtsHmacSha196),
        ("aes128-sha1", KerberosEncryptionType.Aes128CtsHmacSha196),
        ("aes256-cts", KerberosEncryptionType.Aes256CtsHmacSha196),
        ("aes256-sha1", KerberosEncryptionType.Aes256CtsHmacSha196),
        ("aes128-sha2", KerberosEncryptionType.Aes128CtsHmacSha256128),
        ("aes256-sha2", KerberosEncryptionType.Aes256CtsHmacSha384192),
        ("rc4-hmac", KerberosEncryptionType.Rc4Hmac),
        ("arcfour-hmac-md5", KerberosEncryptionType.Rc4Hmac),
    ];

    /// <summary>
    /// The types a Windows domain controller derives for a password: AES256 and AES128 (SHA-1), DES-CBC-MD5,
    /// DES-CBC-CRC, and RC4-HMAC (the NT hash).
    /// </summary>
    public static IReadOnlyList<KerberosEncryptionType> ActiveDirectoryDefaults { get; } =
    [
        KerberosEncryptionType.Aes256CtsHmacSha196,
        KerberosEncryptionType.Aes128CtsHmacSha196,
        KerberosEncryptionType.DesCbcMd5,
        KerberosEncryptionType.DesCbcCrc,
        KerberosEncryptionType.Rc4Hmac,
    ];

    /// <summary>Every supported type, in IANA number order.</summary>
    public static IReadOnlyList<KerberosEncryptionType> All { get; } =
    [
        KerberosEncryptionType.DesCbcCrc,
        KerberosEncryptionType.DesCbcMd5,
        KerberosEncryptionType.Aes128CtsHmacSha196,
        KerberosEncryptionType.Aes256CtsHmacSha196,
        KerberosEncryptionType.Aes128CtsHmacSha256128,
        KerberosEncryptionType.Aes256CtsHmacSha384192,
        KerberosEncryptionType.Rc4Hmac,
    ];

    /// <summary>Whether <paramref name="encryptionType"/> is one this library supports.</summary>
    /// <param name="encryptionType">The value to check.</param>
    /// <returns><see langword="true"/> for the seven supported types.</returns>
    public static bool IsSupported(KerberosEncryptionType encryptionType) => encryptionType switch
    {
        KerberosEncryptionType.DesCbcCrc or KerberosEncryptionType.DesCbcMd5 or
        KerberosEncryptionType.Aes128CtsHmacSha196 or KerberosEncryptionType.Aes256CtsHmacSha196 or
        KerberosEncryptionType.Aes128CtsHmacSha256128 or KerberosEncryptionType.Aes256CtsHmacSha384192 or
        KerberosEncryptionType.Rc4Hmac => true,
        _ => false,
    };

    /// <summary>The canonical MIT name, for example <c>aes256-cts-hmac-sha1-96</c> or <c>arcfour-hmac</c>.</summary>
    /// <param name="encryptionType">The encryption type.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The type is not supported.</exception>
    public static string GetName(KerberosEncryptionType encryptionType)
    {
        foreach ((string name, KerberosEncryptionType type) in s_names)
        {
            if (type == encryptionType)
            {
                return name;
            }
        }

        throw Unsupported(encryptionType);
    }

    /// <summary>The key size in bytes: 8 (DES), 16 (AES128, RC4), 32 (AES256).</summary>
    /// <param name="encryptionType">The encryption type.</param>
    /// <returns>The size in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The type is not supported.</exception>
    public static int GetKeySize(KerberosEncryptionType encryptionType) => encryptionType switch
    {
        KerberosEncryptionType.DesCbcCrc or KerberosEncryptionType.DesCbcMd5 => 8,
        KerberosEncryptionType.Aes128CtsHmacSha196 or KerberosEncryptionType.Aes128CtsHmacSha256128 or KerberosEncryptionType.Rc4Hmac => 16,
        KerberosEncryptionType.Aes256CtsHmacSha196 or KerberosEncryptionType.Aes256CtsHmacSha384192 => 32,
        _ => throw Unsupported(encryptionType),
    };

    /// <summary>
    /// The default string-to-key iteration count: 4096 for RFC 3962, 32768 for RFC 8009, 0 for types without one.
    /// </summary>
    /// <param name="encryptionType">The encryption type.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The type is not supported.</exception>
    public static int GetDefaultIterationCount(KerberosEncryptionType encryptionType) => encryptionType switch
    {
        KerberosEncryptionType.Aes128CtsHmacSha196 or KerberosEncryptionType.Aes256CtsHmacSha196 => 4096,
        KerberosEncryptionType.Aes128CtsHmacSha256128 or KerberosEncryptionType.Aes256CtsHmacSha384192 => 32768,
        KerberosEncryptionType.DesCbcCrc or KerberosEncryptionType.DesCbcMd5 or KerberosEncryptionType.Rc4Hmac => 0,
        _ => throw Unsupported(encryptionType),
    };

    /// <summary>Whether the type's string-to-key takes an iteration count (the AES types).</summary>
    /// <param name="encryptionType">The encryption type.</param>
    /// <returns><see langword="true"/> for AES types.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The type is not supported.</exception>
    public static bool UsesIterationCount(KerberosEncryptionType encryptionType) => GetDefaultIterationCount(encryptionType) != 0;

    /// <summary>
    /// Parses an MIT name or alias (case-insensitive, for example <c>aes256-cts</c>, <c>rc4-hmac</c>) or an IANA number.
    /// </summary>
    /// <param name="value">The text to parse.</param>
    /// <param name="encryptionType">The parsed type.</param>
    /// <returns><see langword="false"/> when the text names no supported type.</returns>
    public static bool TryParse(ReadOnlySpan<char> value, out KerberosEncryptionType encryptionType)
    {
        value = value.Trim();
        if (StrictDecimal.TryParseInt32(value, 0, int.MaxValue, out int number) &&
            IsSupported((KerberosEncryptionType)number))
        {
            encryptionType = (KerberosEncryptionType)number;
            return true;
        }

        foreach ((string name, KerberosEncryptionType type) in s_names)
        {
            if (value.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                encryptionType = type;
                return true;
            }
        }

        encryptionType = default;
        return false;
    }

    /// <summary>Parses an MIT name, alias or IANA number.</summary>
    /// <param name="value">The text to parse.</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text names no supported type.</exception>
    public static KerberosEncryptionType Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out KerberosEncryptionType type)
            ? type
            : throw new FormatException($"'{value}' is not a supported Kerberos encryption type (expected an MIT name such as aes256-cts-hmac-sha1-96, or a number 1, 3, 17, 18, 19, 20 or 23).");
    }

    internal static ArgumentOutOfRangeException Unsupported(KerberosEncryptionType encryptionType) =>
        new(nameof(encryptionType), encryptionType, $"Kerberos encryption type {(int)encryptionType} is not supported (supported: 1, 3, 17, 18, 19, 20, 23).");
}
