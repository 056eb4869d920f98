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
    /// off-diagonal sub-blocks (8, 4, 2, 1 wide), 64 permutes in all instead of 256 scalar moves. Fully unrolled on
    /// locals with constant index vectors, so the rows stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Avx512(ReadOnlySpan<uint> laneMajor, Span<Vector512<uint>> block)
    {
        _ = laneMajor[255];
        _ = block[15];

        // Stage with block width d swaps element (i, c | d) with (i | d, c) for rows i and columns c with bit d clear.
        // Permute index k < 16 takes element k of the first table (row i), 16 + k of the second (row i | d).
        Vector512<uint> low8 = Vector512.Create(0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 16u, 17u, 18u, 19u, 20u, 21u, 22u, 23u);
        Vector512<uint> high8 = Vector512.Create(8u, 9u, 10u, 11u, 12u, 13u, 14u, 15u, 24u, 25u, 26u, 27u, 28u, 29u, 30u, 31u);
        Vector512<uint> low4 = Vector512.Create(0u, 1u, 2u, 3u, 16u, 17u, 18u, 19u, 8u, 9u, 10u, 11u, 24u, 25u, 26u, 27u);
        Vector512<uint> high4 = Vector512.Create(4u, 5u, 6u, 7u, 20u, 21u, 22u, 23u, 12u, 13u, 14u, 15u, 28u, 29u, 30u, 31u);
        Vector512<uint> low2 = Vector512.Create(0u, 1u, 16u, 17u, 4u, 5u, 20u, 21u, 8u, 9u, 24u, 25u, 12u, 13u, 28u, 29u);
        Vector512<uint> high2 = Vector512.Create(2u, 3u, 18u, 19u, 6u, 7u, 22u, 23u, 10u, 11u, 26u, 27u, 14u, 15u, 30u, 31u);
        Vector512<uint> low1 = Vector512.Create(0u, 16u, 2u, 18u, 4u, 20u, 6u, 22u, 8u, 24u, 10u, 26u, 12u, 28u, 14u, 30u);
        Vector512<uint> high1 = Vector512.Create(1u, 17u, 3u, 19u, 5u, 21u, 7u, 23u, 9u, 25u, 11u, 27u, 13u, 29u, 15u, 31u);
        Vector512<uint> r0 = Vector512.Create(laneMajor.Slice(0, 16));
        Vector512<uint> r1 = Vector512.Create(laneMajor.Slice(16, 16));
        Vector512<uint> r2 = Vector512.Create(laneMajor.Slice(32, 16));
        Vector512<uint> r3 = Vector512.Create(laneMajor.Slice(48, 16));
        Vector512<uint> r4 = Vector512.Create(laneMajor.Slice(64, 16));
        Vector512<uint> r5 = Vector512.Create(laneMajor.Slice(80, 16));
        Vector512<uint> r6 = Vector512.Create(laneMajor.Slice(96, 16));
        Vector512<uint> r7 = Vector512.Create(laneMajor.Slice(112, 16));
        Vector512<uint> r8 = Vector512.Create(laneMajor.Slice(128, 16));
        Vector512<uint> r9 = Vector512.Create(laneMajor.Slice(144, 16));
        Vector512<uint> r10 = Vector512.Create(laneMajor.Slice(160, 16));
        Vector512<uint> r11 = Vector512.Create(laneMajor.Slice(176, 16));
        Vector512<uint> r12 = Vector512.Create(laneMajor.Slice(192, 16));
        Vector512<uint> r13 = Vector512.Create(laneMajor.Slice(208, 16));
        Vector512<uint> r14 = Vector512.Create(laneMajor.Slice(224, 16));
        Vector512<uint> r15 = Vector512.Create(laneMajor.Slice(240, 16));

        (r0, r8) = (Avx512F.PermuteVar16x32x2(r0, low8, r8), Avx512F.PermuteVar16x32x2(r0, high8, r8));
        (r1, r9) = (Avx512F.PermuteVar16x32x2(r1, low8, r9), Avx512F.PermuteVar16x32x2(r1, high8, r9));
        (r2, r10) = (Avx512F.PermuteVar16x32x2(r2, low8, r10), Avx512F.PermuteVar16x32x2(r2, high8, r10));
        (r3, r11) = (Avx512F.PermuteVar16x32x2(r3, low8, r11), Avx512F.PermuteVar16x32x2(r3, high8, r11));
        (r4, r12) = (Avx512F.PermuteVar16x32x2(r4, low8, r12), Avx512F.PermuteVar16x32x2(r4, high8, r12));
        (r5, r13) = (Avx512F.PermuteVar16x32x2(r5, low8, r13), Avx512F.PermuteVar16x32x2(r5, high8, r13));
        (r6, r14) = (Avx512F.PermuteVar16x32x2(r6, low8, r14), Avx512F.PermuteVar16x32x2(r6, high8, r14));
        (r7, r15) = (Avx512F.PermuteVar16x32x2(r7, low8, r15), Avx512F.PermuteVar16x32x2(r7, high8, r15));
        (r0, r4) = (Avx512F.PermuteVar16x32x2(r0, low4, r4), Avx512F.PermuteVar16x32x2(r0, high4, r4));
        (r1, r5) = (Avx512F.PermuteVar16x32x2(r1, low4, r5), Avx512F.PermuteVar16x32x2(r1, high4, r5));
        (r2, r6) = (Avx512F.PermuteVar16x32x2(r2, low4, r6), Avx512F.PermuteVar16x32x2(r2, high4, r6));
        (r3, r7) = (Avx512F.PermuteVar16x32x2(r3, low4, r7), Avx512F.PermuteVar16x32x2(r3, high4, r7));
        (r8, r12) = (Avx512F.PermuteVar16x32x2(r8, low4, r12), Avx512F.PermuteVar16x32x2(r8, high4, r12));
        (r9, r13) = (Avx512F.PermuteVar16x32x2(r9, low4, r13), Avx512F.PermuteVar16x32x2(r9, high4, r13));
        (r10, r14) = (Avx512F.PermuteVar16x32x2(r10, low4, r14), Avx512F.PermuteVar16x32x2(r10, high4, r14));
        (r11, r15) = (Avx512F.PermuteVar16x32x2(r11, low4, r15), Avx512F.PermuteVar16x32x2(r11, high4, r15));
        (r0, r2) = (Avx512F.PermuteVar16x32x2(r0, low2, r2), Avx512F.PermuteVar16x32x2(r0, high2, r2));
        (r1, r3) = (Avx512F.PermuteVar16x32x2(r1, low2, r3), Avx512F.PermuteVar16x32x2(r1, high2, r3));
        (r4, r6) = (Avx512F.PermuteVar16x32x2(r4, low2, r6), Avx512F.PermuteVar16x32x2(r4, high2, r6));
        (r5, r7) = (Avx512F.PermuteVar16x32x2(r5, low2, r7), Avx512F.PermuteVar16x32x2(r5, high2, r7));
        (r8, r10) = (Avx512F.PermuteVar16x32x2(r8, low2, r10), Avx512F.PermuteVar16x32x2(r8, high2, r10));
        (r9, r11) = (Avx512F.PermuteVar16x32x2(r9, low2, r11), Avx512F.PermuteVar16x32x2(r9, high2, r11));
        (r12, r14) = (Avx512F.PermuteVar16x32x2(r12, low2, r14), Avx512F.PermuteVar16x32x2(r12, high2, r14));
        (r13, r15) = (Avx512F.PermuteVar16x32x2(r13, low2, r15), Avx512F.PermuteVar16x32x2(r13, high2, r15));
        (r0, r1) = (Avx512F.PermuteVar16x32x2(r0, low1, r1), Avx512F.PermuteVar16x32x2(r0, high1, r1));
        (r2, r3) = (Avx512F.PermuteVar16x32x2(r2, low1, r3), Avx512F.PermuteVar16x32x2(r2, high1, r3));
        (r4, r5) = (Avx512F.PermuteVar16x32x2(r4, low1, r5), Avx512F.PermuteVar16x32x2(r4, high1, r5));
        (r6, r7) = (Avx512F.PermuteVar16x32x2(r6, low1, r7), Avx512F.PermuteVar16x32x2(r6, high1, r7));
        (r8, r9) = (Avx512F.PermuteVar16x32x2(r8, low1, r9), Avx512F.PermuteVar16x32x2(r8, high1, r9));
        (r10, r11) = (Avx512F.PermuteVar16x32x2(r10, low1, r11), Avx512F.PermuteVar16x32x2(r10, high1, r11));
        (r12, r13) = (Avx512F.PermuteVar16x32x2(r12, low1, r13), Avx512F.PermuteVar16x32x2(r12, high1, r13));
        (r14, r15) = (Avx512F.PermuteVar16x32x2(r14, low1, r15), Avx512F.PermuteVar16x32x2(r14, high1, r15));

        block[0] = r0;
        block[1] = r1;
        block[2] = r2;
        block[3] = r3;
        block[4] = r4;
        block[5] = r5;
        block[6] = r6;
        block[7] = r7;
        block[8] = r8;
        block[9] = r9;
        block[10] = r10;
        block[11] = r11;
        block[12] = r12;
        block[13] = r13;
        block[14] = r14;
        block[15] = r15;
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
}
