using System.Runtime.CompilerServices;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>SHA-256 compression (FIPS 180-4) over independent lanes; message words are big-endian values.</summary>
internal readonly struct Sha256x : IMultiBufferHash
{
    public static int DigestWords => 8;

    public static ReadOnlySpan<uint> InitialState =>
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    private static ReadOnlySpan<uint> RoundConstants =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compress<TOps, TVec>(Span<TVec> state, ReadOnlySpan<TVec> block)
        where TOps : ILaneOps<TVec>
        where TVec : unmanaged
    {
        _ = state[7];
        _ = block[15];
        TVec a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        TVec w0 = block[0];
        TVec w1 = block[1];
        TVec w2 = block[2];
        TVec w3 = block[3];
        TVec w4 = block[4];
        TVec w5 = block[5];
        TVec w6 = block[6];
        TVec w7 = block[7];
        TVec w8 = block[8];
        TVec w9 = block[9];
        TVec w10 = block[10];
        TVec w11 = block[11];
        TVec w12 = block[12];
        TVec w13 = block[13];
        TVec w14 = block[14];
        TVec w15 = block[15];
        ReadOnlySpan<uint> k = RoundConstants;

        // Sixteen rounds per pass, unrolled with the working variables renamed each round (16 is a multiple of 8,
        // so each pass starts with the same names). A fully unrolled 64 rounds exhausts the JIT's inlining budget and
        // leaves calls in the method; the sigma functions are written out in place for the same reason. Rotations
        // right by r are rotations left by 32 - r.
        for (int t = 0; t < 64; t += 16)
        {
            if (t > 0)
            {
                w0 = TOps.Add(TOps.Add(w0, TOps.Xor3(TOps.RotateLeft(w14, 15), TOps.RotateLeft(w14, 13), TOps.ShiftRight(w14, 10))), TOps.Add(w9, TOps.Xor3(TOps.RotateLeft(w1, 25), TOps.RotateLeft(w1, 14), TOps.ShiftRight(w1, 3))));
                w1 = TOps.Add(TOps.Add(w1, TOps.Xor3(TOps.RotateLeft(w15, 15), TOps.RotateLeft(w15, 13), TOps.ShiftRight(w15, 10))), TOps.Add(w10, TOps.Xor3(TOps.RotateLeft(w2, 25), TOps.RotateLeft(w2, 14), TOps.ShiftRight(w2, 3))));
                w2 = TOps.Add(TOps.Add(w2, TOps.Xor3(TOps.RotateLeft(w0, 15), TOps.RotateLeft(w0, 13), TOps.ShiftRight(w0, 10))), TOps.Add(w11, TOps.Xor3(TOps.RotateLeft(w3, 25), TOps.RotateLeft(w3, 14), TOps.ShiftRight(w3, 3))));
                w3 = TOps.Add(TOps.Add(w3, TOps.Xor3(TOps.RotateLeft(w1, 15), TOps.RotateLeft(w1, 13), TOps.ShiftRight(w1, 10))), TOps.Add(w12, TOps.Xor3(TOps.RotateLeft(w4, 25), TOps.RotateLeft(w4, 14), TOps.ShiftRight(w4, 3))));
                w4 = TOps.Add(TOps.Add(w4, TOps.Xor3(TOps.RotateLeft(w2, 15), TOps.RotateLeft(w2, 13), TOps.ShiftRight(w2, 10))), TOps.Add(w13, TOps.Xor3(TOps.RotateLeft(w5, 25), TOps.RotateLeft(w5, 14), TOps.ShiftRight(w5, 3))));
                w5 = TOps.Add(TOps.Add(w5, TOps.Xor3(TOps.RotateLeft(w3, 15), TOps.RotateLeft(w3, 13), TOps.ShiftRight(w3, 10))), TOps.Add(w14, TOps.Xor3(TOps.RotateLeft(w6, 25), TOps.RotateLeft(w6, 14), TOps.ShiftRight(w6, 3))));
                w6 = TOps.Add(TOps.Add(w6, TOps.Xor3(TOps.RotateLeft(w4, 15), TOps.RotateLeft(w4, 13), TOps.ShiftRight(w4, 10))), TOps.Add(w15, TOps.Xor3(TOps.RotateLeft(w7, 25), TOps.RotateLeft(w7, 14), TOps.ShiftRight(w7, 3))));
                w7 = TOps.Add(TOps.Add(w7, TOps.Xor3(TOps.RotateLeft(w5, 15), TOps.RotateLeft(w5, 13), TOps.ShiftRight(w5, 10))), TOps.Add(w0, TOps.Xor3(TOps.RotateLeft(w8, 25), TOps.RotateLeft(w8, 14), TOps.ShiftRight(w8, 3))));
                w8 = TOps.Add(TOps.Add(w8, TOps.Xor3(TOps.RotateLeft(w6, 15), TOps.RotateLeft(w6, 13), TOps.ShiftRight(w6, 10))), TOps.Add(w1, TOps.Xor3(TOps.RotateLeft(w9, 25), TOps.RotateLeft(w9, 14), TOps.ShiftRight(w9, 3))));
                w9 = TOps.Add(TOps.Add(w9, TOps.Xor3(TOps.RotateLeft(w7, 15), TOps.RotateLeft(w7, 13), TOps.ShiftRight(w7, 10))), TOps.Add(w2, TOps.Xor3(TOps.RotateLeft(w10, 25), TOps.RotateLeft(w10, 14), TOps.ShiftRight(w10, 3))));
                w10 = TOps.Add(TOps.Add(w10, TOps.Xor3(TOps.RotateLeft(w8, 15), TOps.RotateLeft(w8, 13), TOps.ShiftRight(w8, 10))), TOps.Add(w3, TOps.Xor3(TOps.RotateLeft(w11, 25), TOps.RotateLeft(w11, 14), TOps.ShiftRight(w11, 3))));
                w11 = TOps.Add(TOps.Add(w11, TOps.Xor3(TOps.RotateLeft(w9, 15), TOps.RotateLeft(w9, 13), TOps.ShiftRight(w9, 10))), TOps.Add(w4, TOps.Xor3(TOps.RotateLeft(w12, 25), TOps.RotateLeft(w12, 14), TOps.ShiftRight(w12, 3))));
                w12 = TOps.Add(TOps.Add(w12, TOps.Xor3(TOps.RotateLeft(w10, 15), TOps.RotateLeft(w10, 13), TOps.ShiftRight(w10, 10))), TOps.Add(w5, TOps.Xor3(TOps.RotateLeft(w13, 25), TOps.RotateLeft(w13, 14), TOps.ShiftRight(w13, 3))));
                w13 = TOps.Add(TOps.Add(w13, TOps.Xor3(TOps.RotateLeft(w11, 15), TOps.RotateLeft(w11, 13), TOps.ShiftRight(w11, 10))), TOps.Add(w6, TOps.Xor3(TOps.RotateLeft(w14, 25), TOps.RotateLeft(w14, 14), TOps.ShiftRight(w14, 3))));
                w14 = TOps.Add(TOps.Add(w14, TOps.Xor3(TOps.RotateLeft(w12, 15), TOps.RotateLeft(w12, 13), TOps.ShiftRight(w12, 10))), TOps.Add(w7, TOps.Xor3(TOps.RotateLeft(w15, 25), TOps.RotateLeft(w15, 14), TOps.ShiftRight(w15, 3))));
                w15 = TOps.Add(TOps.Add(w15, TOps.Xor3(TOps.RotateLeft(w13, 15), TOps.RotateLeft(w13, 13), TOps.ShiftRight(w13, 10))), TOps.Add(w8, TOps.Xor3(TOps.RotateLeft(w0, 25), TOps.RotateLeft(w0, 14), TOps.ShiftRight(w0, 3))));
            }

            h = TOps.Add(TOps.Add(h, TOps.Xor3(TOps.RotateLeft(e, 26), TOps.RotateLeft(e, 21), TOps.RotateLeft(e, 7))), TOps.Add(TOps.Select(e, f, g), TOps.Add(TOps.Broadcast(k[t + 0]), w0)));
            d = TOps.Add(d, h);
            h = TOps.Add(h, TOps.Add(TOps.Xor3(TOps.RotateLeft(a, 30), TOps.RotateLeft(a, 19), TOps.RotateLeft(a, 10)), TOps.Majority(a, b, c)));
            g = TOps.Add(TOps.Add(g, TOps.Xor3(TOps.RotateLeft(d, 26), TOps.RotateLeft(d, 21), TOps.RotateLeft(d, 7))), TOps.Add(TOps.Select(d, e, f), TOps.Add(TOps.Broadcast(k[t + 1]), w1)));
            c = TOps.Add(c, g);
            g = TOps.Add(g, TOps.Add(TOps.Xor3(TOps.RotateLeft(h, 30), TOps.RotateLeft(h, 19), TOps.RotateLeft(h, 10)), TOps.Majority(h, a, b)));
            f = TOps.Add(TOps.Add(f, TOps.Xor3(TOps.RotateLeft(c, 26), TOps.RotateLeft(c, 21), TOps.RotateLeft(c, 7))), TOps.Add(TOps.Select(c, d, e), TOps.Add(TOps.Broadcast(k[t + 2]), w2)));
            b = TOps.Add(b, f);
            f = TOps.Add(f, TOps.Add(TOps.Xor3(TOps.RotateLeft(g, 30), TOps.RotateLeft(g, 19), TOps.RotateLeft(g, 10)), TOps.Majority(g, h, a)));
            e = TOps.Add(TOps.Add(e, TOps.Xor3(TOps.RotateLeft(b, 26), TOps.RotateLeft(b, 21), TOps.RotateLeft(b, 7))), TOps.Add(TOps.Select(b, c, d), TOps.Add(TOps.Broadcast(k[t + 3]), w3)));
            a = TOps.Add(a, e);
            e = TOps.Add(e, TOps.Add(TOps.Xor3(TOps.RotateLeft(f, 30), TOps.RotateLeft(f, 19), TOps.RotateLeft(f, 10)), TOps.Majority(f, g, h)));
            d = TOps.Add(TOps.Add(d, TOps.Xor3(TOps.RotateLeft(a, 26), TOps.RotateLeft(a, 21), TOps.RotateLeft(a, 7))), TOps.Add(TOps.Select(a, b, c), TOps.Add(TOps.Broadcast(k[t + 4]), w4)));
            h = TOps.Add(h, d);
            d = TOps.Add(d, TOps.Add(TOps.Xor3(TOps.RotateLeft(e, 30), TOps.RotateLeft(e, 19), TOps.RotateLeft(e, 10)), TOps.Majority(e, f, g)));
            c = TOps.Add(TOps.Add(c, TOps.Xor3(TOps.RotateLeft(h, 26), TOps.RotateLeft(h, 21), TOps.RotateLeft(h, 7))), TOps.Add(TOps.Select(h, a, b), TOps.Add(TOps.Broadcast(k[t + 5]), w5)));
            g = TOps.Add(g, c);
            c = TOps.Add(c, TOps.Add(TOps.Xor3(TOps.RotateLeft(d, 30), TOps.RotateLeft(d, 19), TOps.RotateLeft(d, 10)), TOps.Majority(d, e, f)));
            b = TOps.Add(TOps.Add(b, TOps.Xor3(TOps.RotateLeft(g, 26), TOps.RotateLeft(g, 21), TOps.RotateLeft(g, 7))), TOps.Add(TOps.Select(g, h, a), TOps.Add(TOps.Broadcast(k[t + 6]), w6)));
            f = TOps.Add(f, b);
            b = TOps.Add(b, TOps.Add(TOps.Xor3(TOps.RotateLeft(c, 30), TOps.RotateLeft(c, 19), TOps.RotateLeft(c, 10)), TOps.Majority(c, d, e)));
            a = TOps.Add(TOps.Add(a, TOps.Xor3(TOps.RotateLeft(f, 26), TOps.RotateLeft(f, 21), TOps.RotateLeft(f, 7))), TOps.Add(TOps.Select(f, g, h), TOps.Add(TOps.Broadcast(k[t + 7]), w7)));
            e = TOps.Add(e, a);
            a = TOps.Add(a, TOps.Add(TOps.Xor3(TOps.RotateLeft(b, 30), TOps.RotateLeft(b, 19), TOps.RotateLeft(b, 10)), TOps.Majority(b, c, d)));
            h = TOps.Add(TOps.Add(h, TOps.Xor3(TOps.RotateLeft(e, 26), TOps.RotateLeft(e, 21), TOps.RotateLeft(e, 7))), TOps.Add(TOps.Select(e, f, g), TOps.Add(TOps.Broadcast(k[t + 8]), w8)));
            d = TOps.Add(d, h);
            h = TOps.Add(h, TOps.Add(TOps.Xor3(TOps.RotateLeft(a, 30), TOps.RotateLeft(a, 19), TOps.RotateLeft(a, 10)), TOps.Majority(a, b, c)));
            g = TOps.Add(TOps.Add(g, TOps.Xor3(TOps.RotateLeft(d, 26), TOps.RotateLeft(d, 21), TOps.RotateLeft(d, 7))), TOps.Add(TOps.Select(d, e, f), TOps.Add(TOps.Broadcast(k[t + 9]), w9)));
            c = TOps.Add(c, g);
            g = TOps.Add(g, TOps.Add(TOps.Xor3(TOps.RotateLeft(h, 30), TOps.RotateLeft(h, 19), TOps.RotateLeft(h, 10)), TOps.Majority(h, a, b)));
            f = TOps.Add(TOps.Add(f, TOps.Xor3(TOps.RotateLeft(c, 26), TOps.RotateLeft(c, 21), TOps.RotateLeft(c, 7))), TOps.Add(TOps.Select(c, d, e), TOps.Add(TOps.Broadcast(k[t + 10]), w10)));
            b = TOps.Add(b, f);
            f = TOps.Add(f, TOps.Add(TOps.Xor3(TOps.RotateLeft(g, 30), TOps.RotateLeft(g, 19), TOps.RotateLeft(g, 10)), TOps.Majority(g, h, a)));
            e = TOps.Add(TOps.Add(e, TOps.Xor3(TOps.RotateLeft(b, 26), TOps.RotateLeft(b, 21), TOps.RotateLeft(b, 7))), TOps.Add(TOps.Select(b, c, d), TOps.Add(TOps.Broadcast(k[t + 11]), w11)));
            a = TOps.Add(a, e);
            e = TOps.Add(e, TOps.Add(TOps.Xor3(TOps.RotateLeft(f, 30), TOps.RotateLeft(f, 19), TOps.RotateLeft(f, 10)), TOps.Majority(f, g, h)));
            d = TOps.Add(TOps.Add(d, TOps.Xor3(TOps.RotateLeft(a, 26), TOps.RotateLeft(a, 21), TOps.RotateLeft(a, 7))), TOps.Add(TOps.Select(a, b, c), TOps.Add(TOps.Broadcast(k[t + 12]), w12)));
            h = TOps.Add(h, d);
            d = TOps.Add(d, TOps.Add(TOps.Xor3(TOps.RotateLeft(e, 30), TOps.RotateLeft(e, 19), TOps.RotateLeft(e, 10)), TOps.Majority(e, f, g)));
            c = TOps.Add(TOps.Add(c, TOps.Xor3(TOps.RotateLeft(h, 26), TOps.RotateLeft(h, 21), TOps.RotateLeft(h, 7))), TOps.Add(TOps.Select(h, a, b), TOps.Add(TOps.Broadcast(k[t + 13]), w13)));
            g = TOps.Add(g, c);
            c = TOps.Add(c, TOps.Add(TOps.Xor3(TOps.RotateLeft(d, 30), TOps.RotateLeft(d, 19), TOps.RotateLeft(d, 10)), TOps.Majority(d, e, f)));
            b = TOps.Add(TOps.Add(b, TOps.Xor3(TOps.RotateLeft(g, 26), TOps.RotateLeft(g, 21), TOps.RotateLeft(g, 7))), TOps.Add(TOps.Select(g, h, a), TOps.Add(TOps.Broadcast(k[t + 14]), w14)));
            f = TOps.Add(f, b);
            b = TOps.Add(b, TOps.Add(TOps.Xor3(TOps.RotateLeft(c, 30), TOps.RotateLeft(c, 19), TOps.RotateLeft(c, 10)), TOps.Majority(c, d, e)));
            a = TOps.Add(TOps.Add(a, TOps.Xor3(TOps.RotateLeft(f, 26), TOps.RotateLeft(f, 21), TOps.RotateLeft(f, 7))), TOps.Add(TOps.Select(f, g, h), TOps.Add(TOps.Broadcast(k[t + 15]), w15)));
            e = TOps.Add(e, a);
            a = TOps.Add(a, TOps.Add(TOps.Xor3(TOps.RotateLeft(b, 30), TOps.RotateLeft(b, 19), TOps.RotateLeft(b, 10)), TOps.Majority(b, c, d)));
        }

        state[0] = TOps.Add(state[0], a);
        state[1] = TOps.Add(state[1], b);
        state[2] = TOps.Add(state[2], c);
        state[3] = TOps.Add(state[3], d);
        state[4] = TOps.Add(state[4], e);
        state[5] = TOps.Add(state[5], f);
        state[6] = TOps.Add(state[6], g);
        state[7] = TOps.Add(state[7], h);
    }
}
