using System.Buffers.Binary;
using System.Security.Cryptography;
using PasswordHashSync.Cryptography;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Replication.Kerberos.Crypto;

/// <summary>
/// RFC 3961 5.1 DK(key, usage | purpose) for the AES types of RFC 3962: the 5-byte constant is n-folded to one block
/// and encrypted repeatedly (DR), the output truncated to the key length; random-to-key is the identity for AES.
/// </summary>
internal static class Rfc3961DerivedKey
{
    /// <summary>The purpose byte of the checksum key Kc.</summary>
    public const byte Checksum = 0x99;

    /// <summary>The purpose byte of the encryption key Ke.</summary>
    public const byte Encryption = 0xAA;

    /// <summary>The purpose byte of the integrity key Ki.</summary>
    public const byte Integrity = 0x55;

    /// <summary>Derives the key for <paramref name="usage"/> and <paramref name="purpose"/> into <paramref name="destination"/> (the base key's length).</summary>
    public static void Derive(ReadOnlySpan<byte> baseKey, int usage, byte purpose, Span<byte> destination)
    {
        Span<byte> constant = stackalloc byte[5];
        BinaryPrimitives.WriteInt32BigEndian(constant, usage);
        constant[4] = purpose;
        Span<byte> folded = stackalloc byte[16];
        NFold.Fold(constant, folded);
        Span<byte> output = destination[..baseKey.Length];
        if (AesNiBlock.IsSupported)
        {
            AesNiBlock.EncryptChain(baseKey, folded, output);
            return;
        }

        using Aes aes = Aes.Create();
        aes.SetKey(baseKey);
        aes.EncryptEcb(folded, output[..16], PaddingMode.None);
        if (output.Length == 32)
        {
            aes.EncryptEcb(output[..16], output[16..32], PaddingMode.None);
        }
    }
}
