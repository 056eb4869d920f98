using System.Security.Cryptography;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Replication.Kerberos.Crypto;

/// <summary>
/// aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18), RFC 3962 on the RFC 3961 simplified profile:
/// ciphertext = AES-CTS(Ke, confounder | plaintext) | HMAC-SHA1-96(Ki, confounder | plaintext); the checksum
/// hmac-sha1-96-aes128/256 (15/16) is HMAC-SHA1-96(Kc, data).
/// </summary>
#pragma warning disable CA5350 // RFC 3962 is defined over HMAC-SHA1; interoperability, not a choice of algorithm.
internal sealed class AesSha1Cipher : KerberosCipher
{
    private const int BlockSize = 16;
    private const int TruncatedMac = 12;

    public static readonly AesSha1Cipher Aes128 = new(KerberosEncryptionType.Aes128CtsHmacSha196, 16, 15);
    public static readonly AesSha1Cipher Aes256 = new(KerberosEncryptionType.Aes256CtsHmacSha196, 32, 16);

    private readonly int _keySize;
    private readonly int _checksumType;

    private AesSha1Cipher(KerberosEncryptionType encryptionType, int keySize, int checksumType)
    {
        EncryptionType = encryptionType;
        _keySize = keySize;
        _checksumType = checksumType;
    }

    public override KerberosEncryptionType EncryptionType { get; }

    public override int KeySize => _keySize;

    public override int ConfounderSize => BlockSize;

    public override int MacSize => TruncatedMac;

    public override int ChecksumType => _checksumType;

    public override int ChecksumSize => TruncatedMac;

    protected override int MinimumCipherBlock => BlockSize;

    protected override void EncryptCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> confounder, Span<byte> output)
    {
        Span<byte> ke = stackalloc byte[_keySize];
        Span<byte> ki = stackalloc byte[_keySize];
        Span<byte> mac = stackalloc byte[20];
        byte[] input = new byte[BlockSize + plaintext.Length];
        try
        {
            Rfc3961DerivedKey.Derive(key, usage, Rfc3961DerivedKey.Encryption, ke);
            Rfc3961DerivedKey.Derive(key, usage, Rfc3961DerivedKey.Integrity, ki);
            confounder.CopyTo(input);
            plaintext.CopyTo(input.AsSpan(BlockSize));
            HMACSHA1.HashData(ki, input, mac);
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
        Span<byte> ke = stackalloc byte[_keySize];
        Span<byte> ki = stackalloc byte[_keySize];
        Span<byte> mac = stackalloc byte[20];
        int encryptedLength = ciphertext.Length - TruncatedMac;
        byte[] decrypted = new byte[encryptedLength];
        try
        {
            Rfc3961DerivedKey.Derive(key, usage, Rfc3961DerivedKey.Encryption, ke);
            Rfc3961DerivedKey.Derive(key, usage, Rfc3961DerivedKey.Integrity, ki);
            AesCts.Decrypt(ke, ciphertext[..encryptedLength], decrypted);
            HMACSHA1.HashData(ki, decrypted, mac);
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

    protected override void ChecksumCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> data, Span<byte> checksum)
    {
        Span<byte> kc = stackalloc byte[_keySize];
        Span<byte> mac = stackalloc byte[20];
        try
        {
            Rfc3961DerivedKey.Derive(key, usage, Rfc3961DerivedKey.Checksum, kc);
            HMACSHA1.HashData(kc, data, mac);
            mac[..TruncatedMac].CopyTo(checksum);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kc);
        }
    }
}
#pragma warning restore CA5350
