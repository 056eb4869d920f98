using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace PasswordHashSync.Cryptography;

/// <summary>
/// Single-block DES, managed (BouncyCastle). The platform DES refuses weak keys and may be disabled on FIPS
/// hosts, while Kerberos DES string-to-key, LM hashes and MS-SAMR RID keys need plain DES everywhere.
/// </summary>
internal static class DesBlock
{
    public const int BlockSize = 8;

    /// <summary>Encrypts (or decrypts) one 8-byte block under an 8-byte key (parity bits ignored).</summary>
    public static void Process(bool encrypt, ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var engine = new DesEngine();
        engine.Init(encrypt, new KeyParameter(key));
        engine.ProcessBlock(input, output);
    }

    /// <summary>DES-CBC encryption of whole blocks; returns the last cipher block in <paramref name="lastBlock"/>.</summary>
    public static void CbcMac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> data, Span<byte> lastBlock)
    {
        var engine = new DesEngine();
        engine.Init(true, new KeyParameter(key));
        Span<byte> chain = stackalloc byte[BlockSize];
        iv.CopyTo(chain);
        Span<byte> block = stackalloc byte[BlockSize];
        for (int offset = 0; offset < data.Length; offset += BlockSize)
        {
            for (int i = 0; i < BlockSize; i++)
            {
                block[i] = (byte)(chain[i] ^ data[offset + i]);
            }

            engine.ProcessBlock(block, chain);
        }

        chain.CopyTo(lastBlock);
        block.Clear();
        chain.Clear();
    }

    /// <summary>Expands a 7-byte (56-bit) key to an 8-byte DES key with odd parity (MS-NLMP / MS-SAMR "str_to_key").</summary>
    public static void ExpandKey(ReadOnlySpan<byte> key7, Span<byte> key8)
    {
        key8[0] = (byte)(key7[0] >> 1);
        key8[1] = (byte)(((key7[0] & 0x01) << 6) | (key7[1] >> 2));
        key8[2] = (byte)(((key7[1] & 0x03) << 5) | (key7[2] >> 3));
        key8[3] = (byte)(((key7[2] & 0x07) << 4) | (key7[3] >> 4));
        key8[4] = (byte)(((key7[3] & 0x0f) << 3) | (key7[4] >> 5));
        key8[5] = (byte)(((key7[4] & 0x1f) << 2) | (key7[5] >> 6));
        key8[6] = (byte)(((key7[5] & 0x3f) << 1) | (key7[6] >> 7));
        key8[7] = (byte)(key7[6] & 0x7f);
        for (int i = 0; i < 8; i++)
        {
            key8[i] = SetOddParity((byte)(key8[i] << 1));
        }
    }

    /// <summary>Sets the low bit of <paramref name="value"/> so the byte has odd parity.</summary>
    public static byte SetOddParity(byte value)
    {
        int high = value & 0xfe;
        return (byte)(high | ((System.Numerics.BitOperations.PopCount((uint)high) & 1) ^ 1));
    }
}
