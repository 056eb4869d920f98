using System.Security.Cryptography;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Replication.Kerberos.Crypto;

/// <summary>
/// aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18), RFC 3962 on the RFC 3961 simplified profile:
/// ciphertext = AES-CTS(Ke, confounder | plaintext) | HMAC-SHA1-96(Ki, confounder | plaintext); the checksum
/// hmac-sha1-96-aes128/256 (15/16) is HMAC-SHA1-96(Kc, data).
/// </summary>
#pragma warning disable CA5350 // RFC 3962 is defined over HMAC-SHA1; interoperability, not a choice of algorithm.
internal sealed class AesSha1Cipher : AesCtsHmacCipher
{
    private const int TruncatedMac = 12;

    public static readonly AesSha1Cipher Aes128 = new(KerberosEncryptionType.Aes128CtsHmacSha196, 16, 15);
    public static readonly AesSha1Cipher Aes256 = new(KerberosEncryptionType.Aes256CtsHmacSha196, 32, 16);

    private AesSha1Cipher(KerberosEncryptionType encryptionType, int keySize, int checksumType)
        : base(encryptionType, keySize, TruncatedMac, checksumType)
    {
    }

    protected override int IntegrityKeySize => KeySize;

    /// <summary>RFC 3961 section 5.1 DK; the derived key has the base key's length.</summary>
    internal override void DeriveKey(ReadOnlySpan<byte> baseKey, int usage, byte purpose, Span<byte> destination) =>
        Rfc3961DerivedKey.Derive(baseKey, usage, purpose, destination);

    protected override int ComputeHmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) =>
        HMACSHA1.HashData(key, data, destination);

    protected override void EncryptCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> confounder, Span<byte> output)
    {
        Span<byte> ke = stackalloc byte[KeySize];
        Span<byte> ki = stackalloc byte[IntegrityKeySize];
        Span<byte> mac = stackalloc byte[MaxHmacSize];
        byte[] input = new byte[BlockSize + plaintext.Length];
        try
        {
            DeriveKey(key, usage, Rfc3961DerivedKey.Encryption, ke);
            DeriveKey(key, usage, Rfc3961DerivedKey.Integrity, ki);
            confounder.CopyTo(input);
            plaintext.CopyTo(input.AsSpan(BlockSize));

            // The simplified profile MACs the plaintext (with its confounder), not the ciphertext.
            ComputeHmac(ki, input, mac);
            AesCts.Encrypt(ke, input, output);
            mac[..TruncatedMac].CopyTo(output[input.Length..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ke);
            CryptographicOperations.ZeroMemory(ki);
            CryptographicOperations.ZeroMemory(input);
        }
    }

    protected override bool TryDecryptCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        Span<byte> ke = stackalloc byte[KeySize];
        Span<byte> ki = stackalloc byte[IntegrityKeySize];
        Span<byte> mac = stackalloc byte[MaxHmacSize];
        int encryptedLength = ciphertext.Length - TruncatedMac;
        byte[] decrypted = new byte[encryptedLength];
        try
        {
            DeriveKey(key, usage, Rfc3961DerivedKey.Encryption, ke);
            DeriveKey(key, usage, Rfc3961DerivedKey.Integrity, ki);
            AesCts.Decrypt(ke, ciphertext[..encryptedLength], decrypted);
            ComputeHmac(ki, decrypted, mac);
            if (!CryptographicOperations.FixedTimeEquals(mac[..TruncatedMac], ciphertext[encryptedLength..]))
            {
                return false;
            }

            decrypted.AsSpan(BlockSize).CopyTo(plaintext);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ke);
            CryptographicOperations.ZeroMemory(ki);
            CryptographicOperations.ZeroMemory(decrypted);
        }
    }
}
#pragma warning restore CA5350
