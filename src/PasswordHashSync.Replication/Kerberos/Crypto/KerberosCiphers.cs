using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Replication.Kerberos.Crypto;

/// <summary>Looks up the cipher of an encryption type and says which types this client offers and accepts.</summary>
internal static class KerberosCiphers
{
    /// <summary>The types offered to a KDC, strongest first; RC4 is appended only when allowed.</summary>
    public static KerberosEncryptionType[] Offered(bool allowRc4) => allowRc4
        ?
        [
            KerberosEncryptionType.Aes256CtsHmacSha384192, KerberosEncryptionType.Aes128CtsHmacSha256128,
            KerberosEncryptionType.Aes256CtsHmacSha196, KerberosEncryptionType.Aes128CtsHmacSha196, KerberosEncryptionType.Rc4Hmac,
        ]
        :
        [
            KerberosEncryptionType.Aes256CtsHmacSha384192, KerberosEncryptionType.Aes128CtsHmacSha256128,
            KerberosEncryptionType.Aes256CtsHmacSha196, KerberosEncryptionType.Aes128CtsHmacSha196,
        ];

    /// <summary>The cipher for <paramref name="encryptionType"/>, or <see langword="null"/> when it is not supported or not allowed.</summary>
    public static KerberosCipher? Find(int encryptionType, bool allowRc4) => encryptionType switch
    {
        (int)KerberosEncryptionType.Aes128CtsHmacSha196 => AesSha1Cipher.Aes128,
        (int)KerberosEncryptionType.Aes256CtsHmacSha196 => AesSha1Cipher.Aes256,
        (int)KerberosEncryptionType.Aes128CtsHmacSha256128 => AesSha2Cipher.Aes128,
        (int)KerberosEncryptionType.Aes256CtsHmacSha384192 => AesSha2Cipher.Aes256,
        (int)KerberosEncryptionType.Rc4Hmac when allowRc4 => Rc4HmacCipher.Instance,
        _ => null,
    };

    /// <summary>The cipher for <paramref name="encryptionType"/>.</summary>
    /// <exception cref="KerberosException">The type is not supported or not allowed.</exception>
    public static KerberosCipher Get(int encryptionType, bool allowRc4) =>
        Find(encryptionType, allowRc4) ?? throw new KerberosException(
            $"The KDC or server used encryption type {encryptionType}, which this client does not accept{(encryptionType == (int)KerberosEncryptionType.Rc4Hmac ? " unless RC4 is enabled explicitly" : string.Empty)}.",
            KerberosErrorCode.KdcErrEtypeNoSupport);
}
