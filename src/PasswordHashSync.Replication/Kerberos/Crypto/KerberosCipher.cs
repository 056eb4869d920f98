using System.Security.Cryptography;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Replication.Kerberos.Crypto;

/// <summary>
/// One Kerberos encryption type's encrypt, decrypt and keyed checksum with key usages (RFC 3961 section 3 and 4):
/// AES-SHA1 (RFC 3962), AES-SHA2 (RFC 8009), RC4-HMAC (RFC 4757). Stateless; keys are passed per call and never kept.
/// </summary>
internal abstract class KerberosCipher
{
    /// <summary>The encryption type.</summary>
    public abstract KerberosEncryptionType EncryptionType { get; }

    /// <summary>The protocol key length in bytes.</summary>
    public abstract int KeySize { get; }

    /// <summary>The confounder length in bytes.</summary>
    public abstract int ConfounderSize { get; }

    /// <summary>The length of the integrity tag appended to (or, for RC4, prepended to) a ciphertext.</summary>
    public abstract int MacSize { get; }

    /// <summary>The checksum type of this encryption type's keyed checksum (RFC 3961 "required checksum mechanism").</summary>
    public abstract int ChecksumType { get; }

    /// <summary>The keyed checksum length in bytes.</summary>
    public abstract int ChecksumSize { get; }

    /// <summary>The ciphertext length for <paramref name="plaintextLength"/> plaintext bytes.</summary>
    public int GetCiphertextLength(int plaintextLength) => ConfounderSize + plaintextLength + MacSize;

    /// <summary>Encrypts with a fresh random confounder.</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> plaintext)
    {
        Span<byte> confounder = stackalloc byte[ConfounderSize];
        RandomNumberGenerator.Fill(confounder);
        return Encrypt(key, usage, plaintext, confounder);
    }

    /// <summary>Encrypts with the given confounder (published test vectors fix it).</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> confounder)
    {
        CheckKey(key);
        if (confounder.Length != ConfounderSize)
        {
            throw new ArgumentException("The confounder has the wrong length.", nameof(confounder));
        }

        byte[] output = new byte[GetCiphertextLength(plaintext.Length)];
        EncryptCore(key, usage, plaintext, confounder, output);
        return output;
    }

    /// <summary>Decrypts and verifies <paramref name="ciphertext"/>; returns the plaintext (without the confounder).</summary>
    /// <exception cref="KerberosException">The ciphertext is too short or its integrity tag does not verify (wrong key or tampered).</exception>
    public byte[] Decrypt(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> ciphertext)
    {
        CheckKey(key);
        if (ciphertext.Length < ConfounderSize + MacSize || ciphertext.Length - MacSize < MinimumCipherBlock)
        {
            throw new KerberosException("A Kerberos ciphertext is too short to be valid.");
        }

        byte[] plaintext = new byte[ciphertext.Length - ConfounderSize - MacSize];
        if (!TryDecryptCore(key, usage, ciphertext, plaintext))
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new KerberosException("A Kerberos ciphertext failed its integrity check (wrong key, or the data was altered).", KerberosErrorCode.ApErrBadIntegrity);
        }

        return plaintext;
    }

    /// <summary>Computes the keyed checksum of <paramref name="data"/>.</summary>
    public byte[] GetChecksum(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> data)
    {
        CheckKey(key);
        byte[] checksum = new byte[ChecksumSize];
        ChecksumCore(key, usage, data, checksum);
        return checksum;
    }

    /// <summary>Verifies a keyed checksum in constant time.</summary>
    public bool VerifyChecksum(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> data, ReadOnlySpan<byte> checksum)
    {
        CheckKey(key);
        Span<byte> expected = stackalloc byte[ChecksumSize];
        ChecksumCore(key, usage, data, expected);
        return checksum.Length == ChecksumSize && CryptographicOperations.FixedTimeEquals(expected, checksum);
    }

    /// <summary>The smallest input the block mode accepts once the MAC is removed (one AES block for CTS).</summary>
    protected virtual int MinimumCipherBlock => 0;

    /// <summary>Writes the ciphertext (confounder and MAC included) into <paramref name="output"/>.</summary>
    protected abstract void EncryptCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> confounder, Span<byte> output);

    /// <summary>Decrypts into <paramref name="plaintext"/>; false when the MAC does not verify.</summary>
    protected abstract bool TryDecryptCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext);

    /// <summary>Writes the keyed checksum.</summary>
    protected abstract void ChecksumCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> data, Span<byte> checksum);

    private void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new KerberosException("A Kerberos key has the wrong length for its encryption type.");
        }
    }
}
