using System.Security.Cryptography;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Replication.Kerberos.Crypto;

/// <summary>
/// What the two AES families share: AES-CTS over confounder | plaintext with a one-block confounder, a truncated HMAC
/// as integrity tag and as keyed checksum, and three keys derived per key usage (Ke, Ki, Kc with the purpose bytes of
/// <see cref="Rfc3961DerivedKey"/>). RFC 3962 (<see cref="AesSha1Cipher"/>) derives them with RFC 3961 DK and MACs
/// the plaintext; RFC 8009 (<see cref="AesSha2Cipher"/>) derives them with KDF-HMAC-SHA2 and MACs the ciphertext, so
/// encryption and decryption stay in the subclasses, where each reads as its RFC states it.
/// </summary>
internal abstract class AesCtsHmacCipher : KerberosCipher
{
    /// <summary>The AES block size, also the confounder length (RFC 3962 section 6, RFC 8009 section 5).</summary>
    protected const int BlockSize = 16;

    /// <summary>The longest untruncated HMAC of either family (HMAC-SHA-384), for stack buffers.</summary>
    protected const int MaxHmacSize = 48;

    private readonly int _keySize;
    private readonly int _macSize;
    private readonly int _checksumType;

    protected AesCtsHmacCipher(KerberosEncryptionType encryptionType, int keySize, int macSize, int checksumType)
    {
        EncryptionType = encryptionType;
        _keySize = keySize;
        _macSize = macSize;
        _checksumType = checksumType;
    }

    public sealed override KerberosEncryptionType EncryptionType { get; }

    public sealed override int KeySize => _keySize;

    public sealed override int ConfounderSize => BlockSize;

    public sealed override int MacSize => _macSize;

    public sealed override int ChecksumType => _checksumType;

    public sealed override int ChecksumSize => _macSize;

    /// <summary>The length of Ki and Kc: the key length for RFC 3962, the truncated MAC length for RFC 8009.</summary>
    protected abstract int IntegrityKeySize { get; }

    protected sealed override int MinimumCipherBlock => BlockSize;

    /// <summary>Derives the key for <paramref name="usage"/> and <paramref name="purpose"/>; its length is <paramref name="destination"/>'s.</summary>
    internal abstract void DeriveKey(ReadOnlySpan<byte> baseKey, int usage, byte purpose, Span<byte> destination);

    /// <summary>The untruncated HMAC of the family's hash; returns its length.</summary>
    protected abstract int ComputeHmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination);

    /// <summary>checksum = HMAC(Kc, data) truncated to <see cref="ChecksumSize"/> (RFC 3962 section 6, RFC 8009 section 5).</summary>
    protected sealed override void ChecksumCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> data, Span<byte> checksum)
    {
        Span<byte> kc = stackalloc byte[IntegrityKeySize];
        Span<byte> mac = stackalloc byte[MaxHmacSize];
        try
        {
            DeriveKey(key, usage, Rfc3961DerivedKey.Checksum, kc);
            ComputeHmac(kc, data, mac);
            mac[.._macSize].CopyTo(checksum);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kc);
        }
    }
}
