using System.Buffers.Binary;
using System.Security.Cryptography;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Replication.Kerberos.Crypto;

/// <summary>
/// aes128-cts-hmac-sha256-128 (19) and aes256-cts-hmac-sha384-192 (20), RFC 8009: keys from KDF-HMAC-SHA2
/// (section 3), ciphertext = C | HMAC(Ki, IV | C) truncated with C = AES-CTS(Ke, confounder | plaintext) and a zero
/// IV (section 5); checksum = HMAC(Kc, data) truncated (checksum types 19 and 20).
/// </summary>
internal sealed class AesSha2Cipher : AesCtsHmacCipher
{
    public static readonly AesSha2Cipher Aes128 = new(KerberosEncryptionType.Aes128CtsHmacSha256128, 16, 16, HashAlgorithmName.SHA256, 19);
    public static readonly AesSha2Cipher Aes256 = new(KerberosEncryptionType.Aes256CtsHmacSha384192, 32, 24, HashAlgorithmName.SHA384, 20);

    private readonly HashAlgorithmName _hash;

    private AesSha2Cipher(KerberosEncryptionType encryptionType, int keySize, int macSize, HashAlgorithmName hash, int checksumType)
        : base(encryptionType, keySize, macSize, checksumType)
    {
        _hash = hash;
    }

    protected override int IntegrityKeySize => MacSize;

    /// <summary>KDF-HMAC-SHA2(key, usage | purpose, bits) of RFC 8009 section 3 (SP 800-108 counter mode, one block).</summary>
    internal override void DeriveKey(ReadOnlySpan<byte> baseKey, int usage, byte purpose, Span<byte> destination)
    {
        // HMAC(key, 00000001 | usage(4) | purpose | 00 | k(4)), truncated to k bits.
        Span<byte> input = stackalloc byte[4 + 5 + 1 + 4];
        BinaryPrimitives.WriteInt32BigEndian(input, 1);
        BinaryPrimitives.WriteInt32BigEndian(input[4..], usage);
        input[8] = purpose;
        input[9] = 0;
        BinaryPrimitives.WriteInt32BigEndian(input[10..], destination.Length * 8);
        Span<byte> mac = stackalloc byte[MaxHmacSize];
        int written = ComputeHmac(baseKey, input, mac);
        mac[..destination.Length].CopyTo(destination);
        CryptographicOperations.ZeroMemory(mac[..written]);
    }

    protected override int ComputeHmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) =>
        _hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data, destination) : HMACSHA384.HashData(key, data, destination);

    protected override void EncryptCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> confounder, Span<byte> output)
    {
        Span<byte> ke = stackalloc byte[KeySize];
        Span<byte> ki = stackalloc byte[IntegrityKeySize];
        Span<byte> mac = stackalloc byte[MaxHmacSize];
        byte[] input = new byte[BlockSize + plaintext.Length];
        byte[] macInput = new byte[BlockSize + input.Length];
        try
        {
            DeriveKey(key, usage, Rfc3961DerivedKey.Encryption, ke);
            DeriveKey(key, usage, Rfc3961DerivedKey.Integrity, ki);
            confounder.CopyTo(input);
            plaintext.CopyTo(input.AsSpan(BlockSize));
            AesCts.Encrypt(ke, input, output);

            // The MAC covers the cipher state (a zero IV) followed by the ciphertext.
            output[..input.Length].CopyTo(macInput.AsSpan(BlockSize));
            ComputeHmac(ki, macInput, mac);
            mac[..MacSize].CopyTo(output[input.Length..]);
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
        int encryptedLength = ciphertext.Length - MacSize;
        byte[] macInput = new byte[BlockSize + encryptedLength];
        byte[] decrypted = new byte[encryptedLength];
        try
        {
            DeriveKey(key, usage, Rfc3961DerivedKey.Encryption, ke);
            DeriveKey(key, usage, Rfc3961DerivedKey.Integrity, ki);

            // Encrypt-then-MAC: the tag is checked before anything is decrypted.
            ciphertext[..encryptedLength].CopyTo(macInput.AsSpan(BlockSize));
            ComputeHmac(ki, macInput, mac);
            if (!CryptographicOperations.FixedTimeEquals(mac[..MacSize], ciphertext[encryptedLength..]))
            {
                return false;
            }

            AesCts.Decrypt(ke, ciphertext[..encryptedLength], decrypted);
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
