namespace PasswordHashSync.Kerberos;

/// <summary>Kerberos encryption types used by Active Directory, with their IANA numbers.</summary>
public enum KerberosEncryptionType
{
    /// <summary>des-cbc-crc (1), RFC 3961. Same key as <see cref="DesCbcMd5"/>.</summary>
    DesCbcCrc = 1,

    /// <summary>des-cbc-md5 (3), RFC 3961.</summary>
    DesCbcMd5 = 3,

    /// <summary>aes128-cts-hmac-sha1-96 (17), RFC 3962.</summary>
    Aes128CtsHmacSha196 = 17,

    /// <summary>aes256-cts-hmac-sha1-96 (18), RFC 3962.</summary>
    Aes256CtsHmacSha196 = 18,

    /// <summary>aes128-cts-hmac-sha256-128 (19), RFC 8009.</summary>
    Aes128CtsHmacSha256128 = 19,

    /// <summary>aes256-cts-hmac-sha384-192 (20), RFC 8009.</summary>
    Aes256CtsHmacSha384192 = 20,

    /// <summary>rc4-hmac (23), RFC 4757: the key is the NT hash.</summary>
    Rc4Hmac = 23,
}
