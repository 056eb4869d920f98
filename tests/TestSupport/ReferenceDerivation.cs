using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PasswordHashSync.TestSupport;

/// <summary>
/// Straight-line reference derivations written from the RFCs, sharing no code with the library, for tests that
/// compare the library against a separately written path. Slow and allocating on purpose: clarity over speed.
/// </summary>
public static class ReferenceDerivation
{
    /// <summary>RFC 3961 A.1: 128-fold("kerberos") = 6b65726265726f73 7b9b5b2b93132b93.</summary>
    private static readonly byte[] KerberosConstant = Convert.FromHexString("6b65726265726f737b9b5b2b93132b93");

    /// <summary>UTF-16LE of <paramref name="text"/>, one code unit at a time (lone surrogates and NULs kept).</summary>
    /// <param name="text">Any UTF-16 string.</param>
    /// <returns>Two bytes per char, low byte first.</returns>
    public static byte[] Utf16LittleEndian(string text)
    {
        byte[] bytes = new byte[text.Length * 2];
        for (int i = 0; i < text.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), text[i]);
        }

        return bytes;
    }

    /// <summary>
    /// RFC 3962 string-to-key: tkey = PBKDF2-HMAC-SHA1(UTF-8(password), salt, iterations, keyLength), then
    /// DK(tkey, "kerberos") = AES-CBC with a zero IV over the folded constant, chained for the second block.
    /// </summary>
    /// <param name="password">The password; lone surrogates become U+FFFD as MS-KILE requires.</param>
    /// <param name="salt">The salt bytes.</param>
    /// <param name="iterations">The PBKDF2 count.</param>
    /// <param name="keyLength">16 (AES128) or 32 (AES256).</param>
    /// <returns>The key.</returns>
    public static byte[] AesSha1Key(string password, byte[] salt, int iterations, int keyLength)
    {
        byte[] tkey = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA1, keyLength);
        using var aes = Aes.Create();
        aes.Key = tkey;

        // DR(Key, Constant) = K1 | K2 with K1 = E(constant), K2 = E(K1); that is exactly AES-CBC with a zero IV over
        // constant | 16 zero bytes (the second block is 0 XOR K1).
        byte[] plaintext = [.. KerberosConstant, .. new byte[16]];
        byte[] cbc = aes.EncryptCbc(plaintext, new byte[16], PaddingMode.None);
        return cbc[..keyLength];
    }

    /// <summary>
    /// RFC 8009 string-to-key: tkey = PBKDF2-HMAC-SHA256/384(UTF-8(password), enctype-name | 0x00 | salt),
    /// key = HMAC(tkey, 00000001 | "kerberos" | 00 | BE32(bits)) truncated.
    /// </summary>
    /// <param name="password">The password.</param>
    /// <param name="salt">The salt bytes.</param>
    /// <param name="iterations">The PBKDF2 count.</param>
    /// <param name="aes256">True for aes256-cts-hmac-sha384-192, false for aes128-cts-hmac-sha256-128.</param>
    /// <returns>The key.</returns>
    public static byte[] AesSha2Key(string password, byte[] salt, int iterations, bool aes256)
    {
        string name = aes256 ? "aes256-cts-hmac-sha384-192" : "aes128-cts-hmac-sha256-128";
        byte[] saltp = [.. Encoding.ASCII.GetBytes(name), 0, .. salt];
        int length = aes256 ? 32 : 16;
        HashAlgorithmName hash = aes256 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        byte[] tkey = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), saltp, iterations, hash, length);
        byte[] label = [0, 0, 0, 1, .. "kerberos"u8, 0, 0, 0, (byte)((length * 8) >> 8), (byte)(length * 8)];
        byte[] mac = aes256 ? HMACSHA384.HashData(tkey, label) : HMACSHA256.HashData(tkey, label);
        return mac[..length];
    }

    /// <summary>The salted digest: PBKDF2-HMAC-SHA256(UTF-16LE(UPPERCASE hex(NT hash)), salt, iterations, 32).</summary>
    /// <param name="ntHash">The 16-byte NT hash.</param>
    /// <param name="salt">The salt.</param>
    /// <param name="iterations">The PBKDF2 count.</param>
    /// <returns>32 bytes.</returns>
    public static byte[] SaltedDigestHash(byte[] ntHash, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.Unicode.GetBytes(Convert.ToHexString(ntHash)), salt, iterations, HashAlgorithmName.SHA256, 32);
}
