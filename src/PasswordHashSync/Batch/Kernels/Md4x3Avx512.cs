using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// MD4 over 48 lanes: three independent 16-lane AVX-512 chains interleaved step by step. One chain is bound by the
/// latency of its dependent add/rotate sequence; three keep the vector units busy (the reference measurements show
/// about 3.4× the single-chain rate). Written with AVX-512 intrinsics directly: the generic lane form of this method
/// overruns the JIT's inlining budget. Callers check <see cref="Avx512F.IsSupported"/>.
/// </summary>
internal static class Md4x3Avx512
{
    public const int LaneCount = 48;

    /// <summary>
    /// Compresses one block per lane. <paramref name="state"/>: A, B, C, D of chain 0, then of chain 1, then chain 2;
    /// <paramref name="x"/>: the 16 message words of chain 0, then chain 1, then chain 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compress(Span<Vector512<uint>> state, ReadOnlySpan<Vector512<uint>> x)
    {
        _ = state[11];
        _ = x[47];
        Vector512<uint> a0 = state[0], b0 = state[1], c0 = state[2], d0 = state[3];
        Vector512<uint> a1 = state[4], b1 = state[5], c1 = state[6], d1 = state[7];
        Vector512<uint> a2 = state[8], b2 = state[9], c2 = state[10], d2 = state[11];
        Vector512<uint> k2 = Vector512.Create(0x5a827999u);
        Vector512<uint> k3 = Vector512.Create(0x6ed9eba1u);

        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0xCA) + x[0], 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0xCA) + x[16], 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0xCA) + x[32], 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0xCA) + x[1], 7);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0xCA) + x[17], 7);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0xCA) + x[33], 7);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0xCA) + x[2], 11);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0xCA) + x[18], 11);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0xCA) + x[34], 11);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0xCA) + x[3], 19);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0xCA) + x[19], 19);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0xCA) + x[35], 19);
        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0xCA) + x[4], 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0xCA) + x[20], 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0xCA) + x[36], 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0xCA) + x[5], 7);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0xCA) + x[21], 7);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0xCA) + x[37], 7);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0xCA) + x[6], 11);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0xCA) + x[22], 11);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0xCA) + x[38], 11);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0xCA) + x[7], 19);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0xCA) + x[23], 19);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0xCA) + x[39], 19);
        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0xCA) + x[8], 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0xCA) + x[24], 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0xCA) + x[40], 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0xCA) + x[9], 7);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0xCA) + x[25], 7);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0xCA) + x[41], 7);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0xCA) + x[10], 11);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0xCA) + x[26], 11);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0xCA) + x[42], 11);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0xCA) + x[11], 19);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0xCA) + x[27], 19);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0xCA) + x[43], 19);
        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0xCA) + x[12], 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0xCA) + x[28], 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0xCA) + x[44], 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0xCA) + x[13], 7);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0xCA) + x[29], 7);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0xCA) + x[45], 7);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0xCA) + x[14], 11);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0xCA) + x[30], 11);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0xCA) + x[46], 11);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0xCA) + x[15], 19);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0xCA) + x[31], 19);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0xCA) + x[47], 19);

        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0xE8) + (x[0] + k2), 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0xE8) + (x[16] + k2), 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0xE8) + (x[32] + k2), 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0xE8) + (x[4] + k2), 5);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0xE8) + (x[20] + k2), 5);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0xE8) + (x[36] + k2), 5);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0xE8) + (x[8] + k2), 9);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0xE8) + (x[24] + k2), 9);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0xE8) + (x[40] + k2), 9);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0xE8) + (x[12] + k2), 13);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0xE8) + (x[28] + k2), 13);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0xE8) + (x[44] + k2), 13);
        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0xE8) + (x[1] + k2), 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0xE8) + (x[17] + k2), 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0xE8) + (x[33] + k2), 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0xE8) + (x[5] + k2), 5);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0xE8) + (x[21] + k2), 5);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0xE8) + (x[37] + k2), 5);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0xE8) + (x[9] + k2), 9);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0xE8) + (x[25] + k2), 9);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0xE8) + (x[41] + k2), 9);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0xE8) + (x[13] + k2), 13);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0xE8) + (x[29] + k2), 13);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0xE8) + (x[45] + k2), 13);
        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0xE8) + (x[2] + k2), 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0xE8) + (x[18] + k2), 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0xE8) + (x[34] + k2), 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0xE8) + (x[6] + k2), 5);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0xE8) + (x[22] + k2), 5);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0xE8) + (x[38] + k2), 5);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0xE8) + (x[10] + k2), 9);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0xE8) + (x[26] + k2), 9);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0xE8) + (x[42] + k2), 9);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0xE8) + (x[14] + k2), 13);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0xE8) + (x[30] + k2), 13);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0xE8) + (x[46] + k2), 13);
        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0xE8) + (x[3] + k2), 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0xE8) + (x[19] + k2), 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0xE8) + (x[35] + k2), 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0xE8) + (x[7] + k2), 5);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0xE8) + (x[23] + k2), 5);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0xE8) + (x[39] + k2), 5);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0xE8) + (x[11] + k2), 9);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0xE8) + (x[27] + k2), 9);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0xE8) + (x[43] + k2), 9);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0xE8) + (x[15] + k2), 13);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0xE8) + (x[31] + k2), 13);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0xE8) + (x[47] + k2), 13);

        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0x96) + (x[0] + k3), 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0x96) + (x[16] + k3), 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0x96) + (x[32] + k3), 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0x96) + (x[8] + k3), 9);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0x96) + (x[24] + k3), 9);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0x96) + (x[40] + k3), 9);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0x96) + (x[4] + k3), 11);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0x96) + (x[20] + k3), 11);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0x96) + (x[36] + k3), 11);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0x96) + (x[12] + k3), 15);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0x96) + (x[28] + k3), 15);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0x96) + (x[44] + k3), 15);
        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0x96) + (x[2] + k3), 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0x96) + (x[18] + k3), 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0x96) + (x[34] + k3), 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0x96) + (x[10] + k3), 9);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0x96) + (x[26] + k3), 9);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0x96) + (x[42] + k3), 9);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0x96) + (x[6] + k3), 11);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0x96) + (x[22] + k3), 11);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0x96) + (x[38] + k3), 11);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0x96) + (x[14] + k3), 15);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0x96) + (x[30] + k3), 15);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0x96) + (x[46] + k3), 15);
        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0x96) + (x[1] + k3), 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0x96) + (x[17] + k3), 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0x96) + (x[33] + k3), 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0x96) + (x[9] + k3), 9);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0x96) + (x[25] + k3), 9);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0x96) + (x[41] + k3), 9);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0x96) + (x[5] + k3), 11);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0x96) + (x[21] + k3), 11);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0x96) + (x[37] + k3), 11);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0x96) + (x[13] + k3), 15);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0x96) + (x[29] + k3), 15);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0x96) + (x[45] + k3), 15);
        a0 = Avx512F.RotateLeft(a0 + Avx512F.TernaryLogic(b0, c0, d0, 0x96) + (x[3] + k3), 3);
        a1 = Avx512F.RotateLeft(a1 + Avx512F.TernaryLogic(b1, c1, d1, 0x96) + (x[19] + k3), 3);
        a2 = Avx512F.RotateLeft(a2 + Avx512F.TernaryLogic(b2, c2, d2, 0x96) + (x[35] + k3), 3);
        d0 = Avx512F.RotateLeft(d0 + Avx512F.TernaryLogic(a0, b0, c0, 0x96) + (x[11] + k3), 9);
        d1 = Avx512F.RotateLeft(d1 + Avx512F.TernaryLogic(a1, b1, c1, 0x96) + (x[27] + k3), 9);
        d2 = Avx512F.RotateLeft(d2 + Avx512F.TernaryLogic(a2, b2, c2, 0x96) + (x[43] + k3), 9);
        c0 = Avx512F.RotateLeft(c0 + Avx512F.TernaryLogic(d0, a0, b0, 0x96) + (x[7] + k3), 11);
        c1 = Avx512F.RotateLeft(c1 + Avx512F.TernaryLogic(d1, a1, b1, 0x96) + (x[23] + k3), 11);
        c2 = Avx512F.RotateLeft(c2 + Avx512F.TernaryLogic(d2, a2, b2, 0x96) + (x[39] + k3), 11);
        b0 = Avx512F.RotateLeft(b0 + Avx512F.TernaryLogic(c0, d0, a0, 0x96) + (x[15] + k3), 15);
        b1 = Avx512F.RotateLeft(b1 + Avx512F.TernaryLogic(c1, d1, a1, 0x96) + (x[31] + k3), 15);
        b2 = Avx512F.RotateLeft(b2 + Avx512F.TernaryLogic(c2, d2, a2, 0x96) + (x[47] + k3), 15);

        state[0] += a0;
        state[1] += b0;
        state[2] += c0;
        state[3] += d0;
        state[4] += a1;
        state[5] += b1;
        state[6] += c1;
        state[7] += d1;
        state[8] += a2;
        state[9] += b2;
        state[10] += c2;
        state[11] += d2;
    }
}
