using System.Buffers.Binary;
using System.Security.Cryptography;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Replication.Kerberos.Crypto;

/// <summary>
/// aes128-cts-hmac-sha256-128 (19) and aes256-cts-hmac-sha384-192 (20), RFC 8009: keys from KDF-HMAC-SHA2
/// (section 3), ciphertext = C | HMAC(Ki, IV | C) truncated with C = AES-CTS(Ke, confounder | plaintext) and a zero
/// IV (section 5); checksum = HMAC(Kc, data) truncated (checksum types 19 and 20).
/// </summary>
internal sealed class AesSha2Cipher : KerberosCipher
{
    private const int BlockSize = 16;

    public static readonly AesSha2Cipher Aes128 = new(KerberosEncryptionType.Aes128CtsHmacSha256128, 16, 16, HashAlgorithmName.SHA256, 19);
    public static readonly AesSha2Cipher Aes256 = new(KerberosEncryptionType.Aes256CtsHmacSha384192, 32, 24, HashAlgorithmName.SHA384, 20);

    private readonly int _keySize;
    private readonly int _macSize;
    private readonly HashAlgorithmName _hash;
    private readonly int _checksumType;

    private AesSha2Cipher(KerberosEncryptionType encryptionType, int keySize, int macSize, HashAlgorithmName hash, int checksumType)
    {
        EncryptionType = encryptionType;
        _keySize = keySize;
        _macSize = macSize;
        _hash = hash;
        _checksumType = checksumType;
    }

    public override KerberosEncryptionType EncryptionType { get; }

    public override int KeySize => _keySize;

    public override int ConfounderSize => BlockSize;

    public override int MacSize => _macSize;

    public override int ChecksumType => _checksumType;

    public override int ChecksumSize => _macSize;

    protected override int MinimumCipherBlock => BlockSize;

    /// <summary>KDF-HMAC-SHA2(key, usage | purpose, bits) of RFC 8009 section 3 (SP 800-108 counter mode, one block).</summary>
    internal void DeriveKey(ReadOnlySpan<byte> baseKey, int usage, byte purpose, Span<byte> destination)
    {
        // HMAC(key, 00000001 | usage(4) | purpose | 00 | k(4)), truncated to k bits.
        Span<byte> input = stackalloc byte[4 + 5 + 1 + 4];
        BinaryPrimitives.WriteInt32BigEndian(input, 1);
        BinaryPrimitives.WriteInt32BigEndian(input[4..], usage);
        input[8] = purpose;
        input[9] = 0;
        BinaryPrimitives.WriteInt32BigEndian(input[10..], destination.Length * 8);
        Span<byte> mac = stackalloc byte[48];
        int written = HmacHash(baseKey, input, mac);
        mac[..destination.Length].CopyTo(destination);
        CryptographicOperations.ZeroMemory(mac[..written]);
    }

    protected override void EncryptCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> confounder, Span<byte> output)
    {
        Span<byte> ke = stackalloc byte[_keySize];
        Span<byte> ki = stackalloc byte[_macSize];
        Span<byte> mac = stackalloc byte[48];
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
            HmacHash(ki, macInput, mac);
            mac[.._macSize].CopyTo(output[input.Length..]);
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
        Span<byte> ki = stackalloc byte[_macSize];
        Span<byte> mac = stackalloc byte[48];
        int encryptedLength = ciphertext.Length - _macSize;
        byte[] macInput = new byte[BlockSize + encryptedLength];
        byte[] decrypted = new byte[encryptedLength];
        try
        {
            DeriveKey(key, usage, Rfc3961DerivedKey.Encryption, ke);
            DeriveKey(key, usage, Rfc3961DerivedKey.Integrity, ki);
            ciphertext[..encryptedLength].CopyTo(macInput.AsSpan(BlockSize));
            HmacHash(ki, macInput, mac);
            if (!CryptographicOperations.FixedTimeEquals(mac[.._macSize], ciphertext[encryptedLength..]))
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

    protected override void ChecksumCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> data, Span<byte> checksum)
    {
        Span<byte> kc = stackalloc byte[_macSize];
        Span<byte> mac = stackalloc byte[48];
        try
        {
            DeriveKey(key, usage, Rfc3961DerivedKey.Checksum, kc);
            HmacHash(kc, data, mac);
            mac[.._macSize].CopyTo(checksum);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kc);
        }
    }

    private int HmacHash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) =>
        _hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data, destination) : HMACSHA384.HashData(key, data, destination);
}
