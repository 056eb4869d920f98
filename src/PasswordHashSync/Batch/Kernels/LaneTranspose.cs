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
