using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// Turns lane-major message words (each lane's 16 words side by side) into word-major vectors (one word of every lane
/// per vector): the step between packing passwords and hashing them.
/// </summary>
internal static class LaneTranspose
{
    /// <summary>Index vectors for the four block-swap stages of a 16 × 16 transpose with two-table permutes.</summary>
    private static readonly uint[] s_permuteIndexes = BuildIndexes();

    /// <summary>Scalar transpose, any lane count: <c>block[w]</c> lane <c>l</c> = <c>laneMajor[16 * l + w]</c>.</summary>
    public static void Scalar<TOps, TVec>(ReadOnlySpan<uint> laneMajor, Span<uint> scratch, Span<TVec> block)
        where TOps : ILaneOps<TVec>
        where TVec : unmanaged
    {
        int lanes = TOps.LaneCount;
        for (int w = 0; w < 16; w++)
        {
            for (int l = 0; l < lanes; l++)
            {
                scratch[(w * lanes) + l] = laneMajor[(l * 16) + w];
            }
        }

        for (int w = 0; w < 16; w++)
        {
            block[w] = TOps.Load(scratch.Slice(w * lanes, lanes));
        }
    }

    /// <summary>
    /// 16 lanes × 16 words with AVX-512 two-table permutes (vpermt2d): a transpose is four rounds of swapping the
    /// off-diagonal sub-blocks (8, 4, 2, 1 wide), 64 permutes in all instead of 256 scalar moves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Avx512(ReadOnlySpan<uint> laneMajor, Span<Vector512<uint>> block)
    {
        _ = block[15];
        for (int r = 0; r < 16; r++)
        {
            block[r] = Vector512.Create(laneMajor.Slice(16 * r, 16));
        }

        ReadOnlySpan<uint> indexes = s_permuteIndexes;
        for (int stage = 0; stage < 4; stage++)
        {
            int d = 8 >> stage;
            Vector512<uint> forLow = Vector512.Create(indexes.Slice(32 * stage, 16));
            Vector512<uint> forHigh = Vector512.Create(indexes.Slice((32 * stage) + 16, 16));
            for (int i = 0; i < 16; i++)
            {
                if ((i & d) != 0)
                {
                    continue;
                }

                Vector512<uint> low = block[i];
                Vector512<uint> high = block[i | d];
                block[i] = Avx512F.PermuteVar16x32x2(low, forLow, high);
                block[i | d] = Avx512F.PermuteVar16x32x2(low, forHigh, high);
            }
        }
    }

    /// <summary>
    /// Writes the 16 MD4 digests held in four word vectors (A, B, C, D of 16 lanes) as 16 consecutive 16-byte hashes:
    /// a 4 × 16 transpose in two permute rounds (pairs, then quadruples), then four 64-byte stores. Little-endian only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreDigestsAvx512(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, Vector512<uint> d, Span<byte> destination)
    {
        _ = destination[255];
        ReadOnlySpan<uint> indexes = s_digestIndexes;
        Vector512<uint> pairLow = Vector512.Create(indexes[..16]);
        Vector512<uint> pairHigh = Vector512.Create(indexes.Slice(16, 16));
        Vector512<uint> quadFirst = Vector512.Create(indexes.Slice(32, 16));
        Vector512<uint> quadSecond = Vector512.Create(indexes.Slice(48, 16));
        Vector512<uint> abLow = Avx512F.PermuteVar16x32x2(a, pairLow, b);
        Vector512<uint> abHigh = Avx512F.PermuteVar16x32x2(a, pairHigh, b);
        Vector512<uint> cdLow = Avx512F.PermuteVar16x32x2(c, pairLow, d);
        Vector512<uint> cdHigh = Avx512F.PermuteVar16x32x2(c, pairHigh, d);
        Avx512F.PermuteVar16x32x2(abLow, quadFirst, cdLow).AsByte().CopyTo(destination[..64]);
        Avx512F.PermuteVar16x32x2(abLow, quadSecond, cdLow).AsByte().CopyTo(destination.Slice(64, 64));
        Avx512F.PermuteVar16x32x2(abHigh, quadFirst, cdHigh).AsByte().CopyTo(destination.Slice(128, 64));
        Avx512F.PermuteVar16x32x2(abHigh, quadSecond, cdHigh).AsByte().CopyTo(destination.Slice(192, 64));
    }

    private static readonly uint[] s_digestIndexes = BuildDigestIndexes();

    private static uint[] BuildDigestIndexes()
    {
        uint[] indexes = new uint[64];
        for (int k = 0; k < 8; k++)
        {
            // Pairs: [x0, y0, x1, y1, ...] from lanes 0–7 (low) or 8–15 (high) of x and y.
            indexes[2 * k] = (uint)k;
            indexes[(2 * k) + 1] = (uint)(16 + k);
            indexes[16 + (2 * k)] = (uint)(8 + k);
            indexes[16 + (2 * k) + 1] = (uint)(24 + k);
        }

        for (int j = 0; j < 4; j++)
        {
            // Quadruples: lane j's A, B from the AB pairs and C, D from the CD pairs (first = lanes 0–3, second = 4–7).
            for (int half = 0; half < 2; half++)
            {
                int lane = j + (4 * half);
                int offset = 32 + (16 * half) + (4 * j);
                indexes[offset] = (uint)(2 * lane);
                indexes[offset + 1] = (uint)((2 * lane) + 1);
                indexes[offset + 2] = (uint)(16 + (2 * lane));
                indexes[offset + 3] = (uint)(16 + (2 * lane) + 1);
            }
        }

        return indexes;
    }

    private static uint[] BuildIndexes()
    {
        // Stage with block width d swaps element (i, c | d) with (i | d, c) for rows i and columns c with bit d clear.
        // Permute index k < 16 takes element k of the first table (row i), 16 + k of the second (row i | d).
        uint[] indexes = new uint[4 * 32];
        for (int stage = 0; stage < 4; stage++)
        {
            int d = 8 >> stage;
            for (int c = 0; c < 16; c++)
            {
                indexes[(32 * stage) + c] = (c & d) != 0 ? (uint)(16 + (c ^ d)) : (uint)c;
                indexes[(32 * stage) + 16 + c] = (c & d) != 0 ? (uint)(16 + c) : (uint)(c ^ d);
            }
        }

        return indexes;
    }
}
