using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace PasswordHashSync.Cryptography;

/// <summary>
/// MD4 (RFC 1320). .NET has no MD4 and OpenSSL 3 hides it in the legacy provider, yet the NT hash is
/// defined as MD4, so the library carries its own. One-shot, allocation-free, any input length.
/// </summary>
internal static class Md4
{
    public const int HashSizeInBytes = 16;
    private const int BlockSize = 64;

    /// <summary>Hashes <paramref name="source"/> into the first 16 bytes of <paramref name="destination"/>.</summary>
    public static void HashData(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < HashSizeInBytes)
        {
            throw new ArgumentException("The destination must hold at least 16 bytes.", nameof(destination));
        }

        uint a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;

        int fullBlocks = source.Length / BlockSize;
        for (int i = 0; i < fullBlocks; i++)
        {
            Compress(ref a, ref b, ref c, ref d, source.Slice(i * BlockSize, BlockSize));
        }

        // Padding: 0x80, zeros, then the bit length (little-endian) in the last 8 bytes of the last block.
        Span<byte> tail = stackalloc byte[2 * BlockSize];
        tail.Clear();
        ReadOnlySpan<byte> remainder = source[(fullBlocks * BlockSize)..];
        remainder.CopyTo(tail);
        tail[remainder.Length] = 0x80;
        int tailLength = remainder.Length < BlockSize - 8 ? BlockSize : 2 * BlockSize;
        BinaryPrimitives.WriteUInt64LittleEndian(tail.Slice(tailLength - 8, 8), (ulong)source.Length * 8);
        Compress(ref a, ref b, ref c, ref d, tail[..BlockSize]);
        if (tailLength == 2 * BlockSize)
        {
            Compress(ref a, ref b, ref c, ref d, tail.Slice(BlockSize, BlockSize));
        }

        // The tail may hold password bytes.
        CryptographicOperations.ZeroMemory(tail);

        BinaryPrimitives.WriteUInt32LittleEndian(destination, a);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], b);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], c);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint F(uint x, uint y, uint z) => (x & y) | (~x & z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint G(uint x, uint y, uint z) => (x & y) | (x & z) | (y & z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint H(uint x, uint y, uint z) => x ^ y ^ z;

    private static void Compress(ref uint a0, ref uint b0, ref uint c0, ref uint d0, ReadOnlySpan<byte> block)
    {
        uint x0 = BinaryPrimitives.ReadUInt32LittleEndian(block);
        uint x1 = BinaryPrimitives.ReadUInt32LittleEndian(block[4..]);
        uint x2 = BinaryPrimitives.ReadUInt32LittleEndian(block[8..]);
        uint x3 = BinaryPrimitives.ReadUInt32LittleEndian(block[12..]);
        uint x4 = BinaryPrimitives.ReadUInt32LittleEndian(block[16..]);
        uint x5 = BinaryPrimitives.ReadUInt32LittleEndian(block[20..]);
        uint x6 = BinaryPrimitives.ReadUInt32LittleEndian(block[24..]);
        uint x7 = BinaryPrimitives.ReadUInt32LittleEndian(block[28..]);
        uint x8 = BinaryPrimitives.ReadUInt32LittleEndian(block[32..]);
        uint x9 = BinaryPrimitives.ReadUInt32LittleEndian(block[36..]);
        uint x10 = BinaryPrimitives.ReadUInt32LittleEndian(block[40..]);
        uint x11 = BinaryPrimitives.ReadUInt32LittleEndian(block[44..]);
        uint x12 = BinaryPrimitives.ReadUInt32LittleEndian(block[48..]);
        uint x13 = BinaryPrimitives.ReadUInt32LittleEndian(block[52..]);
        uint x14 = BinaryPrimitives.ReadUInt32LittleEndian(block[56..]);
        uint x15 = BinaryPrimitives.ReadUInt32LittleEndian(block[60..]);

        uint a = a0, b = b0, c = c0, d = d0;

        // Round 1
        a = BitOperations.RotateLeft(a + F(b, c, d) + x0, 3);
        d = BitOperations.RotateLeft(d + F(a, b, c) + x1, 7);
        c = BitOperations.RotateLeft(c + F(d, a, b) + x2, 11);
        b = BitOperations.RotateLeft(b + F(c, d, a) + x3, 19);
        a = BitOperations.RotateLeft(a + F(b, c, d) + x4, 3);
        d = BitOperations.RotateLeft(d + F(a, b, c) + x5, 7);
        c = BitOperations.RotateLeft(c + F(d, a, b) + x6, 11);
        b = BitOperations.RotateLeft(b + F(c, d, a) + x7, 19);
        a = BitOperations.RotateLeft(a + F(b, c, d) + x8, 3);
        d = BitOperations.RotateLeft(d + F(a, b, c) + x9, 7);
        c = BitOperations.RotateLeft(c + F(d, a, b) + x10, 11);
        b = BitOperations.RotateLeft(b + F(c, d, a) + x11, 19);
        a = BitOperations.RotateLeft(a + F(b, c, d) + x12, 3);
        d = BitOperations.RotateLeft(d + F(a, b, c) + x13, 7);
        c = BitOperations.RotateLeft(c + F(d, a, b) + x14, 11);
        b = BitOperations.RotateLeft(b + F(c, d, a) + x15, 19);

        // Round 2
        const uint K2 = 0x5a827999;
        a = BitOperations.RotateLeft(a + G(b, c, d) + x0 + K2, 3);
        d = BitOperations.RotateLeft(d + G(a, b, c) + x4 + K2, 5);
        c = BitOperations.RotateLeft(c + G(d, a, b) + x8 + K2, 9);
        b = BitOperations.RotateLeft(b + G(c, d, a) + x12 + K2, 13);
        a = BitOperations.RotateLeft(a + G(b, c, d) + x1 + K2, 3);
        d = BitOperations.RotateLeft(d + G(a, b, c) + x5 + K2, 5);
        c = BitOperations.RotateLeft(c + G(d, a, b) + x9 + K2, 9);
        b = BitOperations.RotateLeft(b + G(c, d, a) + x13 + K2, 13);
        a = BitOperations.RotateLeft(a + G(b, c, d) + x2 + K2, 3);
        d = BitOperations.RotateLeft(d + G(a, b, c) + x6 + K2, 5);
        c = BitOperations.RotateLeft(c + G(d, a, b) + x10 + K2, 9);
        b = BitOperations.RotateLeft(b + G(c, d, a) + x14 + K2, 13);
        a = BitOperations.RotateLeft(a + G(b, c, d) + x3 + K2, 3);
        d = BitOperations.RotateLeft(d + G(a, b, c) + x7 + K2, 5);
        c = BitOperations.RotateLeft(c + G(d, a, b) + x11 + K2, 9);
        b = BitOperations.RotateLeft(b + G(c, d, a) + x15 + K2, 13);

        // Round 3
        const uint K3 = 0x6ed9eba1;
        a = BitOperations.RotateLeft(a + H(b, c, d) + x0 + K3, 3);
        d = BitOperations.RotateLeft(d + H(a, b, c) + x8 + K3, 9);
        c = BitOperations.RotateLeft(c + H(d, a, b) + x4 + K3, 11);
        b = BitOperations.RotateLeft(b + H(c, d, a) + x12 + K3, 15);
        a = BitOperations.RotateLeft(a + H(b, c, d) + x2 + K3, 3);
        d = BitOperations.RotateLeft(d + H(a, b, c) + x10 + K3, 9);
        c = BitOperations.RotateLeft(c + H(d, a, b) + x6 + K3, 11);
        b = BitOperations.RotateLeft(b + H(c, d, a) + x14 + K3, 15);
        a = BitOperations.RotateLeft(a + H(b, c, d) + x1 + K3, 3);
        d = BitOperations.RotateLeft(d + H(a, b, c) + x9 + K3, 9);
        c = BitOperations.RotateLeft(c + H(d, a, b) + x5 + K3, 11);
        b = BitOperations.RotateLeft(b + H(c, d, a) + x13 + K3, 15);
        a = BitOperations.RotateLeft(a + H(b, c, d) + x3 + K3, 3);
        d = BitOperations.RotateLeft(d + H(a, b, c) + x11 + K3, 9);
        c = BitOperations.RotateLeft(c + H(d, a, b) + x7 + K3, 11);
        b = BitOperations.RotateLeft(b + H(c, d, a) + x15 + K3, 15);

        a0 += a;
        b0 += b;
        c0 += c;
        d0 += d;
    }
}
