using System.Security.Cryptography;

namespace PasswordHashSync.Replication.Kerberos.Crypto;

/// <summary>
/// AES in CBC mode with ciphertext stealing and a zero IV, as RFC 3962 section 5 defines it for Kerberos (the
/// "CBC-CS3" variant: the last two ciphertext blocks are always swapped, the final one truncated to the input's
/// remainder). RFC 8009 uses the same mode. Built on the platform's AES-CBC and AES-ECB primitives.
/// </summary>
internal static class AesCts
{
    private const int BlockSize = 16;

    /// <summary>Encrypts <paramref name="input"/> (at least one block) under <paramref name="key"/> into <paramref name="output"/> (same length).</summary>
    /// <exception cref="ArgumentException">The key is not 16 or 32 bytes, the input is shorter than a block, or the output is shorter than the input.</exception>
    public static void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckLengths(key, input, output);
        using Aes aes = Aes.Create();
        aes.SetKey(key);
        Span<byte> zeroIv = stackalloc byte[BlockSize];
        zeroIv.Clear();
        if (input.Length == BlockSize)
        {
            aes.EncryptEcb(input, output, PaddingMode.None);
            return;
        }

        int blocks = (input.Length + BlockSize - 1) / BlockSize;
        int remainder = input.Length - ((blocks - 1) * BlockSize);
        byte[] padded = new byte[blocks * BlockSize];
        try
        {
            input.CopyTo(padded);
            aes.EncryptCbc(padded, zeroIv, padded, PaddingMode.None);

            // C1 .. C(n-2), then Cn whole, then C(n-1) truncated to the remainder.
            int lastFull = (blocks - 2) * BlockSize;
            padded.AsSpan(0, lastFull).CopyTo(output);
            padded.AsSpan(lastFull + BlockSize, BlockSize).CopyTo(output[lastFull..]);
            padded.AsSpan(lastFull, remainder).CopyTo(output[(lastFull + BlockSize)..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(padded);
        }
    }

    /// <summary>Decrypts <paramref name="input"/> (at least one block) under <paramref name="key"/> into <paramref name="output"/> (same length).</summary>
    /// <exception cref="ArgumentException">The key is not 16 or 32 bytes, the input is shorter than a block, or the output is shorter than the input.</exception>
    public static void Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckLengths(key, input, output);
        using Aes aes = Aes.Create();
        aes.SetKey(key);
        Span<byte> zeroIv = stackalloc byte[BlockSize];
        zeroIv.Clear();
        if (input.Length == BlockSize)
        {
            aes.DecryptEcb(input, output, PaddingMode.None);
            return;
        }

        int blocks = (input.Length + BlockSize - 1) / BlockSize;
        int remainder = input.Length - ((blocks - 1) * BlockSize);
        int lastFull = (blocks - 2) * BlockSize;
        Span<byte> decrypted = stackalloc byte[BlockSize];
        Span<byte> previousFull = stackalloc byte[BlockSize];
        try
        {
            // The block at lastFull is Cn; decrypting it gives Pn (zero padded) XOR C(n-1).
            aes.DecryptEcb(input.Slice(lastFull, BlockSize), decrypted, PaddingMode.None);
            ReadOnlySpan<byte> tail = input.Slice(lastFull + BlockSize, remainder);

            // C(n-1) = the tail bytes followed by the bytes of the decrypted block past the remainder (Pn's zero pad).
            tail.CopyTo(previousFull);
            decrypted[remainder..].CopyTo(previousFull[remainder..]);
            for (int i = 0; i < remainder; i++)
            {
                output[lastFull + BlockSize + i] = (byte)(decrypted[i] ^ tail[i]);
            }

            // P(n-1) = D(C(n-1)) XOR C(n-2) (or the zero IV).
            aes.DecryptEcb(previousFull, decrypted, PaddingMode.None);
            ReadOnlySpan<byte> chain = lastFull == 0 ? zeroIv : input.Slice(lastFull - BlockSize, BlockSize);
            for (int i = 0; i < BlockSize; i++)
            {
                output[lastFull + i] = (byte)(decrypted[i] ^ chain[i]);
            }

            if (lastFull > 0)
            {
                aes.DecryptCbc(input[..lastFull], zeroIv, output[..lastFull], PaddingMode.None);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(decrypted);
            CryptographicOperations.ZeroMemory(previousFull);
        }
    }

    private static void CheckLengths(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        // The Kerberos AES types use 128- and 256-bit keys only (RFC 3962 6, RFC 8009 5); checked here so that a wrong
        // key is the same ArgumentException as a wrong length, not the platform's CryptographicException.
        if (key.Length is not (16 or 32))
        {
            throw new ArgumentException("AES-CTS needs a 16- or 32-byte key.", nameof(key));
        }

        if (input.Length < BlockSize || output.Length < input.Length)
        {
            throw new ArgumentException("AES-CTS needs at least one block of input and an output as long as the input.");
        }
    }
}
