using System.Runtime.CompilerServices;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>SHA-256 compression (FIPS 180-4) over independent lanes; message words are big-endian values.</summary>
internal readonly struct Sha256x : IMultiBufferHash
{
    public static int DigestWords => 8;

    public static ReadOnlySpan<uint> InitialState =>
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

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

        // Fully unrolled with the working variables renamed each round, so no moves between rounds.
        h = TOps.Add(TOps.Add(h, BigSigma1<TOps, TVec>(e)), TOps.Add(TOps.Select(e, f, g), TOps.Add(TOps.Broadcast(0x428a2f98), w0)));
        d = TOps.Add(d, h);
        h = TOps.Add(h, TOps.Add(BigSigma0<TOps, TVec>(a), TOps.Majority(a, b, c)));
        g = TOps.Add(TOps.Add(g, BigSigma1<TOps, TVec>(d)), TOps.Add(TOps.Select(d, e, f), TOps.Add(TOps.Broadcast(0x71374491), w1)));
        c = TOps.Add(c, g);
        g = TOps.Add(g, TOps.Add(BigSigma0<TOps, TVec>(h), TOps.Majority(h, a, b)));
        f = TOps.Add(TOps.Add(f, BigSigma1<TOps, TVec>(c)), TOps.Add(TOps.Select(c, d, e), TOps.Add(TOps.Broadcast(0xb5c0fbcf), w2)));
        b = TOps.Add(b, f);
        f = TOps.Add(f, TOps.Add(BigSigma0<TOps, TVec>(g), TOps.Majority(g, h, a)));
        e = TOps.Add(TOps.Add(e, BigSigma1<TOps, TVec>(b)), TOps.Add(TOps.Select(b, c, d), TOps.Add(TOps.Broadcast(0xe9b5dba5), w3)));
        a = TOps.Add(a, e);
        e = TOps.Add(e, TOps.Add(BigSigma0<TOps, TVec>(f), TOps.Majority(f, g, h)));
        d = TOps.Add(TOps.Add(d, BigSigma1<TOps, TVec>(a)), TOps.Add(TOps.Select(a, b, c), TOps.Add(TOps.Broadcast(0x3956c25b), w4)));
        h = TOps.Add(h, d);
        d = TOps.Add(d, TOps.Add(BigSigma0<TOps, TVec>(e), TOps.Majority(e, f, g)));
        c = TOps.Add(TOps.Add(c, BigSigma1<TOps, TVec>(h)), TOps.Add(TOps.Select(h, a, b), TOps.Add(TOps.Broadcast(0x59f111f1), w5)));
        g = TOps.Add(g, c);
        c = TOps.Add(c, TOps.Add(BigSigma0<TOps, TVec>(d), TOps.Majority(d, e, f)));
        b = TOps.Add(TOps.Add(b, BigSigma1<TOps, TVec>(g)), TOps.Add(TOps.Select(g, h, a), TOps.Add(TOps.Broadcast(0x923f82a4), w6)));
        f = TOps.Add(f, b);
        b = TOps.Add(b, TOps.Add(BigSigma0<TOps, TVec>(c), TOps.Majority(c, d, e)));
        a = TOps.Add(TOps.Add(a, BigSigma1<TOps, TVec>(f)), TOps.Add(TOps.Select(f, g, h), TOps.Add(TOps.Broadcast(0xab1c5ed5), w7)));
        e = TOps.Add(e, a);
        a = TOps.Add(a, TOps.Add(BigSigma0<TOps, TVec>(b), TOps.Majority(b, c, d)));
        h = TOps.Add(TOps.Add(h, BigSigma1<TOps, TVec>(e)), TOps.Add(TOps.Select(e, f, g), TOps.Add(TOps.Broadcast(0xd807aa98), w8)));
        d = TOps.Add(d, h);
        h = TOps.Add(h, TOps.Add(BigSigma0<TOps, TVec>(a), TOps.Majority(a, b, c)));
        g = TOps.Add(TOps.Add(g, BigSigma1<TOps, TVec>(d)), TOps.Add(TOps.Select(d, e, f), TOps.Add(TOps.Broadcast(0x12835b01), w9)));
        c = TOps.Add(c, g);
        g = TOps.Add(g, TOps.Add(BigSigma0<TOps, TVec>(h), TOps.Majority(h, a, b)));
        f = TOps.Add(TOps.Add(f, BigSigma1<TOps, TVec>(c)), TOps.Add(TOps.Select(c, d, e), TOps.Add(TOps.Broadcast(0x243185be), w10)));
        b = TOps.Add(b, f);
        f = TOps.Add(f, TOps.Add(BigSigma0<TOps, TVec>(g), TOps.Majority(g, h, a)));
        e = TOps.Add(TOps.Add(e, BigSigma1<TOps, TVec>(b)), TOps.Add(TOps.Select(b, c, d), TOps.Add(TOps.Broadcast(0x550c7dc3), w11)));
        a = TOps.Add(a, e);
        e = TOps.Add(e, TOps.Add(BigSigma0<TOps, TVec>(f), TOps.Majority(f, g, h)));
        d = TOps.Add(TOps.Add(d, BigSigma1<TOps, TVec>(a)), TOps.Add(TOps.Select(a, b, c), TOps.Add(TOps.Broadcast(0x72be5d74), w12)));
        h = TOps.Add(h, d);
        d = TOps.Add(d, TOps.Add(BigSigma0<TOps, TVec>(e), TOps.Majority(e, f, g)));
        c = TOps.Add(TOps.Add(c, BigSigma1<TOps, TVec>(h)), TOps.Add(TOps.Select(h, a, b), TOps.Add(TOps.Broadcast(0x80deb1fe), w13)));
        g = TOps.Add(g, c);
        c = TOps.Add(c, TOps.Add(BigSigma0<TOps, TVec>(d), TOps.Majority(d, e, f)));
        b = TOps.Add(TOps.Add(b, BigSigma1<TOps, TVec>(g)), TOps.Add(TOps.Select(g, h, a), TOps.Add(TOps.Broadcast(0x9bdc06a7), w14)));
        f = TOps.Add(f, b);
        b = TOps.Add(b, TOps.Add(BigSigma0<TOps, TVec>(c), TOps.Majority(c, d, e)));
        a = TOps.Add(TOps.Add(a, BigSigma1<TOps, TVec>(f)), TOps.Add(TOps.Select(f, g, h), TOps.Add(TOps.Broadcast(0xc19bf174), w15)));
        e = TOps.Add(e, a);
        a = TOps.Add(a, TOps.Add(BigSigma0<TOps, TVec>(b), TOps.Majority(b, c, d)));
        w0 = TOps.Add(TOps.Add(w0, SmallSigma1<TOps, TVec>(w14)), TOps.Add(w9, SmallSigma0<TOps, TVec>(w1)));
        h = TOps.Add(TOps.Add(h, BigSigma1<TOps, TVec>(e)), TOps.Add(TOps.Select(e, f, g), TOps.Add(TOps.Broadcast(0xe49b69c1), w0)));
        d = TOps.Add(d, h);
        h = TOps.Add(h, TOps.Add(BigSigma0<TOps, TVec>(a), TOps.Majority(a, b, c)));
        w1 = TOps.Add(TOps.Add(w1, SmallSigma1<TOps, TVec>(w15)), TOps.Add(w10, SmallSigma0<TOps, TVec>(w2)));
        g = TOps.Add(TOps.Add(g, BigSigma1<TOps, TVec>(d)), TOps.Add(TOps.Select(d, e, f), TOps.Add(TOps.Broadcast(0xefbe4786), w1)));
        c = TOps.Add(c, g);
        g = TOps.Add(g, TOps.Add(BigSigma0<TOps, TVec>(h), TOps.Majority(h, a, b)));
        w2 = TOps.Add(TOps.Add(w2, SmallSigma1<TOps, TVec>(w0)), TOps.Add(w11, SmallSigma0<TOps, TVec>(w3)));
        f = TOps.Add(TOps.Add(f, BigSigma1<TOps, TVec>(c)), TOps.Add(TOps.Select(c, d, e), TOps.Add(TOps.Broadcast(0x0fc19dc6), w2)));
        b = TOps.Add(b, f);
        f = TOps.Add(f, TOps.Add(BigSigma0<TOps, TVec>(g), TOps.Majority(g, h, a)));
        w3 = TOps.Add(TOps.Add(w3, SmallSigma1<TOps, TVec>(w1)), TOps.Add(w12, SmallSigma0<TOps, TVec>(w4)));
        e = TOps.Add(TOps.Add(e, BigSigma1<TOps, TVec>(b)), TOps.Add(TOps.Select(b, c, d), TOps.Add(TOps.Broadcast(0x240ca1cc), w3)));
        a = TOps.Add(a, e);
        e = TOps.Add(e, TOps.Add(BigSigma0<TOps, TVec>(f), TOps.Majority(f, g, h)));
        w4 = TOps.Add(TOps.Add(w4, SmallSigma1<TOps, TVec>(w2)), TOps.Add(w13, SmallSigma0<TOps, TVec>(w5)));
        d = TOps.Add(TOps.Add(d, BigSigma1<TOps, TVec>(a)), TOps.Add(TOps.Select(a, b, c), TOps.Add(TOps.Broadcast(0x2de92c6f), w4)));
        h = TOps.Add(h, d);
        d = TOps.Add(d, TOps.Add(BigSigma0<TOps, TVec>(e), TOps.Majority(e, f, g)));
        w5 = TOps.Add(TOps.Add(w5, SmallSigma1<TOps, TVec>(w3)), TOps.Add(w14, SmallSigma0<TOps, TVec>(w6)));
        c = TOps.Add(TOps.Add(c, BigSigma1<TOps, TVec>(h)), TOps.Add(TOps.Select(h, a, b), TOps.Add(TOps.Broadcast(0x4a7484aa), w5)));
        g = TOps.Add(g, c);
        c = TOps.Add(c, TOps.Add(BigSigma0<TOps, TVec>(d), TOps.Majority(d, e, f)));
        w6 = TOps.Add(TOps.Add(w6, SmallSigma1<TOps, TVec>(w4)), TOps.Add(w15, SmallSigma0<TOps, TVec>(w7)));
        b = TOps.Add(TOps.Add(b, BigSigma1<TOps, TVec>(g)), TOps.Add(TOps.Select(g, h, a), TOps.Add(TOps.Broadcast(0x5cb0a9dc), w6)));
        f = TOps.Add(f, b);
        b = TOps.Add(b, TOps.Add(BigSigma0<TOps, TVec>(c), TOps.Majority(c, d, e)));
        w7 = TOps.Add(TOps.Add(w7, SmallSigma1<TOps, TVec>(w5)), TOps.Add(w0, SmallSigma0<TOps, TVec>(w8)));
        a = TOps.Add(TOps.Add(a, BigSigma1<TOps, TVec>(f)), TOps.Add(TOps.Select(f, g, h), TOps.Add(TOps.Broadcast(0x76f988da), w7)));
        e = TOps.Add(e, a);
        a = TOps.Add(a, TOps.Add(BigSigma0<TOps, TVec>(b), TOps.Majority(b, c, d)));
        w8 = TOps.Add(TOps.Add(w8, SmallSigma1<TOps, TVec>(w6)), TOps.Add(w1, SmallSigma0<TOps, TVec>(w9)));
        h = TOps.Add(TOps.Add(h, BigSigma1<TOps, TVec>(e)), TOps.Add(TOps.Select(e, f, g), TOps.Add(TOps.Broadcast(0x983e5152), w8)));
        d = TOps.Add(d, h);
        h = TOps.Add(h, TOps.Add(BigSigma0<TOps, TVec>(a), TOps.Majority(a, b, c)));
        w9 = TOps.Add(TOps.Add(w9, SmallSigma1<TOps, TVec>(w7)), TOps.Add(w2, SmallSigma0<TOps, TVec>(w10)));
        g = TOps.Add(TOps.Add(g, BigSigma1<TOps, TVec>(d)), TOps.Add(TOps.Select(d, e, f), TOps.Add(TOps.Broadcast(0xa831c66d), w9)));
        c = TOps.Add(c, g);
        g = TOps.Add(g, TOps.Add(BigSigma0<TOps, TVec>(h), TOps.Majority(h, a, b)));
        w10 = TOps.Add(TOps.Add(w10, SmallSigma1<TOps, TVec>(w8)), TOps.Add(w3, SmallSigma0<TOps, TVec>(w11)));
        f = TOps.Add(TOps.Add(f, BigSigma1<TOps, TVec>(c)), TOps.Add(TOps.Select(c, d, e), TOps.Add(TOps.Broadcast(0xb00327c8), w10)));
        b = TOps.Add(b, f);
        f = TOps.Add(f, TOps.Add(BigSigma0<TOps, TVec>(g), TOps.Majority(g, h, a)));
        w11 = TOps.Add(TOps.Add(w11, SmallSigma1<TOps, TVec>(w9)), TOps.Add(w4, SmallSigma0<TOps, TVec>(w12)));
        e = TOps.Add(TOps.Add(e, BigSigma1<TOps, TVec>(b)), TOps.Add(TOps.Select(b, c, d), TOps.Add(TOps.Broadcast(0xbf597fc7), w11)));
        a = TOps.Add(a, e);
        e = TOps.Add(e, TOps.Add(BigSigma0<TOps, TVec>(f), TOps.Majority(f, g, h)));
        w12 = TOps.Add(TOps.Add(w12, SmallSigma1<TOps, TVec>(w10)), TOps.Add(w5, SmallSigma0<TOps, TVec>(w13)));
        d = TOps.Add(TOps.Add(d, BigSigma1<TOps, TVec>(a)), TOps.Add(TOps.Select(a, b, c), TOps.Add(TOps.Broadcast(0xc6e00bf3), w12)));
        h = TOps.Add(h, d);
        d = TOps.Add(d, TOps.Add(BigSigma0<TOps, TVec>(e), TOps.Majority(e, f, g)));
        w13 = TOps.Add(TOps.Add(w13, SmallSigma1<TOps, TVec>(w11)), TOps.Add(w6, SmallSigma0<TOps, TVec>(w14)));
        c = TOps.Add(TOps.Add(c, BigSigma1<TOps, TVec>(h)), TOps.Add(TOps.Select(h, a, b), TOps.Add(TOps.Broadcast(0xd5a79147), w13)));
        g = TOps.Add(g, c);
        c = TOps.Add(c, TOps.Add(BigSigma0<TOps, TVec>(d), TOps.Majority(d, e, f)));
        w14 = TOps.Add(TOps.Add(w14, SmallSigma1<TOps, TVec>(w12)), TOps.Add(w7, SmallSigma0<TOps, TVec>(w15)));
        b = TOps.Add(TOps.Add(b, BigSigma1<TOps, TVec>(g)), TOps.Add(TOps.Select(g, h, a), TOps.Add(TOps.Broadcast(0x06ca6351), w14)));
        f = TOps.Add(f, b);
        b = TOps.Add(b, TOps.Add(BigSigma0<TOps, TVec>(c), TOps.Majority(c, d, e)));
        w15 = TOps.Add(TOps.Add(w15, SmallSigma1<TOps, TVec>(w13)), TOps.Add(w8, SmallSigma0<TOps, TVec>(w0)));
        a = TOps.Add(TOps.Add(a, BigSigma1<TOps, TVec>(f)), TOps.Add(TOps.Select(f, g, h), TOps.Add(TOps.Broadcast(0x14292967), w15)));
        e = TOps.Add(e, a);
        a = TOps.Add(a, TOps.Add(BigSigma0<TOps, TVec>(b), TOps.Majority(b, c, d)));
        w0 = TOps.Add(TOps.Add(w0, SmallSigma1<TOps, TVec>(w14)), TOps.Add(w9, SmallSigma0<TOps, TVec>(w1)));
        h = TOps.Add(TOps.Add(h, BigSigma1<TOps, TVec>(e)), TOps.Add(TOps.Select(e, f, g), TOps.Add(TOps.Broadcast(0x27b70a85), w0)));
        d = TOps.Add(d, h);
        h = TOps.Add(h, TOps.Add(BigSigma0<TOps, TVec>(a), TOps.Majority(a, b, c)));
        w1 = TOps.Add(TOps.Add(w1, SmallSigma1<TOps, TVec>(w15)), TOps.Add(w10, SmallSigma0<TOps, TVec>(w2)));
        g = TOps.Add(TOps.Add(g, BigSigma1<TOps, TVec>(d)), TOps.Add(TOps.Select(d, e, f), TOps.Add(TOps.Broadcast(0x2e1b2138), w1)));
        c = TOps.Add(c, g);
        g = TOps.Add(g, TOps.Add(BigSigma0<TOps, TVec>(h), TOps.Majority(h, a, b)));
        w2 = TOps.Add(TOps.Add(w2, SmallSigma1<TOps, TVec>(w0)), TOps.Add(w11, SmallSigma0<TOps, TVec>(w3)));
        f = TOps.Add(TOps.Add(f, BigSigma1<TOps, TVec>(c)), TOps.Add(TOps.Select(c, d, e), TOps.Add(TOps.Broadcast(0x4d2c6dfc), w2)));
        b = TOps.Add(b, f);
        f = TOps.Add(f, TOps.Add(BigSigma0<TOps, TVec>(g), TOps.Majority(g, h, a)));
        w3 = TOps.Add(TOps.Add(w3, SmallSigma1<TOps, TVec>(w1)), TOps.Add(w12, SmallSigma0<TOps, TVec>(w4)));
        e = TOps.Add(TOps.Add(e, BigSigma1<TOps, TVec>(b)), TOps.Add(TOps.Select(b, c, d), TOps.Add(TOps.Broadcast(0x53380d13), w3)));
        a = TOps.Add(a, e);
        e = TOps.Add(e, TOps.Add(BigSigma0<TOps, TVec>(f), TOps.Majority(f, g, h)));
        w4 = TOps.Add(TOps.Add(w4, SmallSigma1<TOps, TVec>(w2)), TOps.Add(w13, SmallSigma0<TOps, TVec>(w5)));
        d = TOps.Add(TOps.Add(d, BigSigma1<TOps, TVec>(a)), TOps.Add(TOps.Select(a, b, c), TOps.Add(TOps.Broadcast(0x650a7354), w4)));
        h = TOps.Add(h, d);
        d = TOps.Add(d, TOps.Add(BigSigma0<TOps, TVec>(e), TOps.Majority(e, f, g)));
        w5 = TOps.Add(TOps.Add(w5, SmallSigma1<TOps, TVec>(w3)), TOps.Add(w14, SmallSigma0<TOps, TVec>(w6)));
        c = TOps.Add(TOps.Add(c, BigSigma1<TOps, TVec>(h)), TOps.Add(TOps.Select(h, a, b), TOps.Add(TOps.Broadcast(0x766a0abb), w5)));
        g = TOps.Add(g, c);
        c = TOps.Add(c, TOps.Add(BigSigma0<TOps, TVec>(d), TOps.Majority(d, e, f)));
        w6 = TOps.Add(TOps.Add(w6, SmallSigma1<TOps, TVec>(w4)), TOps.Add(w15, SmallSigma0<TOps, TVec>(w7)));
        b = TOps.Add(TOps.Add(b, BigSigma1<TOps, TVec>(g)), TOps.Add(TOps.Select(g, h, a), TOps.Add(TOps.Broadcast(0x81c2c92e), w6)));
        f = TOps.Add(f, b);
        b = TOps.Add(b, TOps.Add(BigSigma0<TOps, TVec>(c), TOps.Majority(c, d, e)));
        w7 = TOps.Add(TOps.Add(w7, SmallSigma1<TOps, TVec>(w5)), TOps.Add(w0, SmallSigma0<TOps, TVec>(w8)));
        a = TOps.Add(TOps.Add(a, BigSigma1<TOps, TVec>(f)), TOps.Add(TOps.Select(f, g, h), TOps.Add(TOps.Broadcast(0x92722c85), w7)));
        e = TOps.Add(e, a);
        a = TOps.Add(a, TOps.Add(BigSigma0<TOps, TVec>(b), TOps.Majority(b, c, d)));
        w8 = TOps.Add(TOps.Add(w8, SmallSigma1<TOps, TVec>(w6)), TOps.Add(w1, SmallSigma0<TOps, TVec>(w9)));
        h = TOps.Add(TOps.Add(h, BigSigma1<TOps, TVec>(e)), TOps.Add(TOps.Select(e, f, g), TOps.Add(TOps.Broadcast(0xa2bfe8a1), w8)));
        d = TOps.Add(d, h);
        h = TOps.Add(h, TOps.Add(BigSigma0<TOps, TVec>(a), TOps.Majority(a, b, c)));
        w9 = TOps.Add(TOps.Add(w9, SmallSigma1<TOps, TVec>(w7)), TOps.Add(w2, SmallSigma0<TOps, TVec>(w10)));
        g = TOps.Add(TOps.Add(g, BigSigma1<TOps, TVec>(d)), TOps.Add(TOps.Select(d, e, f), TOps.Add(TOps.Broadcast(0xa81a664b), w9)));
        c = TOps.Add(c, g);
        g = TOps.Add(g, TOps.Add(BigSigma0<TOps, TVec>(h), TOps.Majority(h, a, b)));
        w10 = TOps.Add(TOps.Add(w10, SmallSigma1<TOps, TVec>(w8)), TOps.Add(w3, SmallSigma0<TOps, TVec>(w11)));
        f = TOps.Add(TOps.Add(f, BigSigma1<TOps, TVec>(c)), TOps.Add(TOps.Select(c, d, e), TOps.Add(TOps.Broadcast(0xc24b8b70), w10)));
        b = TOps.Add(b, f);
        f = TOps.Add(f, TOps.Add(BigSigma0<TOps, TVec>(g), TOps.Majority(g, h, a)));
        w11 = TOps.Add(TOps.Add(w11, SmallSigma1<TOps, TVec>(w9)), TOps.Add(w4, SmallSigma0<TOps, TVec>(w12)));
        e = TOps.Add(TOps.Add(e, BigSigma1<TOps, TVec>(b)), TOps.Add(TOps.Select(b, c, d), TOps.Add(TOps.Broadcast(0xc76c51a3), w11)));
        a = TOps.Add(a, e);
        e = TOps.Add(e, TOps.Add(BigSigma0<TOps, TVec>(f), TOps.Majority(f, g, h)));
        w12 = TOps.Add(TOps.Add(w12, SmallSigma1<TOps, TVec>(w10)), TOps.Add(w5, SmallSigma0<TOps, TVec>(w13)));
        d = TOps.Add(TOps.Add(d, BigSigma1<TOps, TVec>(a)), TOps.Add(TOps.Select(a, b, c), TOps.Add(TOps.Broadcast(0xd192e819), w12)));
        h = TOps.Add(h, d);
        d = TOps.Add(d, TOps.Add(BigSigma0<TOps, TVec>(e), TOps.Majority(e, f, g)));
        w13 = TOps.Add(TOps.Add(w13, SmallSigma1<TOps, TVec>(w11)), TOps.Add(w6, SmallSigma0<TOps, TVec>(w14)));
        c = TOps.Add(TOps.Add(c, BigSigma1<TOps, TVec>(h)), TOps.Add(TOps.Select(h, a, b), TOps.Add(TOps.Broadcast(0xd6990624), w13)));
        g = TOps.Add(g, c);
        c = TOps.Add(c, TOps.Add(BigSigma0<TOps, TVec>(d), TOps.Majority(d, e, f)));
        w14 = TOps.Add(TOps.Add(w14, SmallSigma1<TOps, TVec>(w12)), TOps.Add(w7, SmallSigma0<TOps, TVec>(w15)));
        b = TOps.Add(TOps.Add(b, BigSigma1<TOps, TVec>(g)), TOps.Add(TOps.Select(g, h, a), TOps.Add(TOps.Broadcast(0xf40e3585), w14)));
        f = TOps.Add(f, b);
        b = TOps.Add(b, TOps.Add(BigSigma0<TOps, TVec>(c), TOps.Majority(c, d, e)));
        w15 = TOps.Add(TOps.Add(w15, SmallSigma1<TOps, TVec>(w13)), TOps.Add(w8, SmallSigma0<TOps, TVec>(w0)));
        a = TOps.Add(TOps.Add(a, BigSigma1<TOps, TVec>(f)), TOps.Add(TOps.Select(f, g, h), TOps.Add(TOps.Broadcast(0x106aa070), w15)));
        e = TOps.Add(e, a);
        a = TOps.Add(a, TOps.Add(BigSigma0<TOps, TVec>(b), TOps.Majority(b, c, d)));
        w0 = TOps.Add(TOps.Add(w0, SmallSigma1<TOps, TVec>(w14)), TOps.Add(w9, SmallSigma0<TOps, TVec>(w1)));
        h = TOps.Add(TOps.Add(h, BigSigma1<TOps, TVec>(e)), TOps.Add(TOps.Select(e, f, g), TOps.Add(TOps.Broadcast(0x19a4c116), w0)));
        d = TOps.Add(d, h);
        h = TOps.Add(h, TOps.Add(BigSigma0<TOps, TVec>(a), TOps.Majority(a, b, c)));
        w1 = TOps.Add(TOps.Add(w1, SmallSigma1<TOps, TVec>(w15)), TOps.Add(w10, SmallSigma0<TOps, TVec>(w2)));
        g = TOps.Add(TOps.Add(g, BigSigma1<TOps, TVec>(d)), TOps.Add(TOps.Select(d, e, f), TOps.Add(TOps.Broadcast(0x1e376c08), w1)));
        c = TOps.Add(c, g);
        g = TOps.Add(g, TOps.Add(BigSigma0<TOps, TVec>(h), TOps.Majority(h, a, b)));
        w2 = TOps.Add(TOps.Add(w2, SmallSigma1<TOps, TVec>(w0)), TOps.Add(w11, SmallSigma0<TOps, TVec>(w3)));
        f = TOps.Add(TOps.Add(f, BigSigma1<TOps, TVec>(c)), TOps.Add(TOps.Select(c, d, e), TOps.Add(TOps.Broadcast(0x2748774c), w2)));
        b = TOps.Add(b, f);
        f = TOps.Add(f, TOps.Add(BigSigma0<TOps, TVec>(g), TOps.Majority(g, h, a)));
        w3 = TOps.Add(TOps.Add(w3, SmallSigma1<TOps, TVec>(w1)), TOps.Add(w12, SmallSigma0<TOps, TVec>(w4)));
        e = TOps.Add(TOps.Add(e, BigSigma1<TOps, TVec>(b)), TOps.Add(TOps.Select(b, c, d), TOps.Add(TOps.Broadcast(0x34b0bcb5), w3)));
        a = TOps.Add(a, e);
        e = TOps.Add(e, TOps.Add(BigSigma0<TOps, TVec>(f), TOps.Majority(f, g, h)));
        w4 = TOps.Add(TOps.Add(w4, SmallSigma1<TOps, TVec>(w2)), TOps.Add(w13, SmallSigma0<TOps, TVec>(w5)));
        d = TOps.Add(TOps.Add(d, BigSigma1<TOps, TVec>(a)), TOps.Add(TOps.Select(a, b, c), TOps.Add(TOps.Broadcast(0x391c0cb3), w4)));
        h = TOps.Add(h, d);
        d = TOps.Add(d, TOps.Add(BigSigma0<TOps, TVec>(e), TOps.Majority(e, f, g)));
        w5 = TOps.Add(TOps.Add(w5, SmallSigma1<TOps, TVec>(w3)), TOps.Add(w14, SmallSigma0<TOps, TVec>(w6)));
        c = TOps.Add(TOps.Add(c, BigSigma1<TOps, TVec>(h)), TOps.Add(TOps.Select(h, a, b), TOps.Add(TOps.Broadcast(0x4ed8aa4a), w5)));
        g = TOps.Add(g, c);
        c = TOps.Add(c, TOps.Add(BigSigma0<TOps, TVec>(d), TOps.Majority(d, e, f)));
        w6 = TOps.Add(TOps.Add(w6, SmallSigma1<TOps, TVec>(w4)), TOps.Add(w15, SmallSigma0<TOps, TVec>(w7)));
        b = TOps.Add(TOps.Add(b, BigSigma1<TOps, TVec>(g)), TOps.Add(TOps.Select(g, h, a), TOps.Add(TOps.Broadcast(0x5b9cca4f), w6)));
        f = TOps.Add(f, b);
        b = TOps.Add(b, TOps.Add(BigSigma0<TOps, TVec>(c), TOps.Majority(c, d, e)));
        w7 = TOps.Add(TOps.Add(w7, SmallSigma1<TOps, TVec>(w5)), TOps.Add(w0, SmallSigma0<TOps, TVec>(w8)));
        a = TOps.Add(TOps.Add(a, BigSigma1<TOps, TVec>(f)), TOps.Add(TOps.Select(f, g, h), TOps.Add(TOps.Broadcast(0x682e6ff3), w7)));
        e = TOps.Add(e, a);
        a = TOps.Add(a, TOps.Add(BigSigma0<TOps, TVec>(b), TOps.Majority(b, c, d)));
        w8 = TOps.Add(TOps.Add(w8, SmallSigma1<TOps, TVec>(w6)), TOps.Add(w1, SmallSigma0<TOps, TVec>(w9)));
        h = TOps.Add(TOps.Add(h, BigSigma1<TOps, TVec>(e)), TOps.Add(TOps.Select(e, f, g), TOps.Add(TOps.Broadcast(0x748f82ee), w8)));
        d = TOps.Add(d, h);
        h = TOps.Add(h, TOps.Add(BigSigma0<TOps, TVec>(a), TOps.Majority(a, b, c)));
        w9 = TOps.Add(TOps.Add(w9, SmallSigma1<TOps, TVec>(w7)), TOps.Add(w2, SmallSigma0<TOps, TVec>(w10)));
        g = TOps.Add(TOps.Add(g, BigSigma1<TOps, TVec>(d)), TOps.Add(TOps.Select(d, e, f), TOps.Add(TOps.Broadcast(0x78a5636f), w9)));
        c = TOps.Add(c, g);
        g = TOps.Add(g, TOps.Add(BigSigma0<TOps, TVec>(h), TOps.Majority(h, a, b)));
        w10 = TOps.Add(TOps.Add(w10, SmallSigma1<TOps, TVec>(w8)), TOps.Add(w3, SmallSigma0<TOps, TVec>(w11)));
        f = TOps.Add(TOps.Add(f, BigSigma1<TOps, TVec>(c)), TOps.Add(TOps.Select(c, d, e), TOps.Add(TOps.Broadcast(0x84c87814), w10)));
        b = TOps.Add(b, f);
        f = TOps.Add(f, TOps.Add(BigSigma0<TOps, TVec>(g), TOps.Majority(g, h, a)));
        w11 = TOps.Add(TOps.Add(w11, SmallSigma1<TOps, TVec>(w9)), TOps.Add(w4, SmallSigma0<TOps, TVec>(w12)));
        e = TOps.Add(TOps.Add(e, BigSigma1<TOps, TVec>(b)), TOps.Add(TOps.Select(b, c, d), TOps.Add(TOps.Broadcast(0x8cc70208), w11)));
        a = TOps.Add(a, e);
        e = TOps.Add(e, TOps.Add(BigSigma0<TOps, TVec>(f), TOps.Majority(f, g, h)));
        w12 = TOps.Add(TOps.Add(w12, SmallSigma1<TOps, TVec>(w10)), TOps.Add(w5, SmallSigma0<TOps, TVec>(w13)));
        d = TOps.Add(TOps.Add(d, BigSigma1<TOps, TVec>(a)), TOps.Add(TOps.Select(a, b, c), TOps.Add(TOps.Broadcast(0x90befffa), w12)));
        h = TOps.Add(h, d);
        d = TOps.Add(d, TOps.Add(BigSigma0<TOps, TVec>(e), TOps.Majority(e, f, g)));
        w13 = TOps.Add(TOps.Add(w13, SmallSigma1<TOps, TVec>(w11)), TOps.Add(w6, SmallSigma0<TOps, TVec>(w14)));
        c = TOps.Add(TOps.Add(c, BigSigma1<TOps, TVec>(h)), TOps.Add(TOps.Select(h, a, b), TOps.Add(TOps.Broadcast(0xa4506ceb), w13)));
        g = TOps.Add(g, c);
        c = TOps.Add(c, TOps.Add(BigSigma0<TOps, TVec>(d), TOps.Majority(d, e, f)));
        w14 = TOps.Add(TOps.Add(w14, SmallSigma1<TOps, TVec>(w12)), TOps.Add(w7, SmallSigma0<TOps, TVec>(w15)));
        b = TOps.Add(TOps.Add(b, BigSigma1<TOps, TVec>(g)), TOps.Add(TOps.Select(g, h, a), TOps.Add(TOps.Broadcast(0xbef9a3f7), w14)));
        f = TOps.Add(f, b);
        b = TOps.Add(b, TOps.Add(BigSigma0<TOps, TVec>(c), TOps.Majority(c, d, e)));
        w15 = TOps.Add(TOps.Add(w15, SmallSigma1<TOps, TVec>(w13)), TOps.Add(w8, SmallSigma0<TOps, TVec>(w0)));
        a = TOps.Add(TOps.Add(a, BigSigma1<TOps, TVec>(f)), TOps.Add(TOps.Select(f, g, h), TOps.Add(TOps.Broadcast(0xc67178f2), w15)));
        e = TOps.Add(e, a);
        a = TOps.Add(a, TOps.Add(BigSigma0<TOps, TVec>(b), TOps.Majority(b, c, d)));

        state[0] = TOps.Add(state[0], a);
        state[1] = TOps.Add(state[1], b);
        state[2] = TOps.Add(state[2], c);
        state[3] = TOps.Add(state[3], d);
        state[4] = TOps.Add(state[4], e);
        state[5] = TOps.Add(state[5], f);
        state[6] = TOps.Add(state[6], g);
        state[7] = TOps.Add(state[7], h);
    }

    // Right rotations by r are left rotations by 32 - r.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec BigSigma0<TOps, TVec>(TVec x)
        where TOps : ILaneOps<TVec>
        where TVec : unmanaged => TOps.Xor3(TOps.RotateLeft(x, 30), TOps.RotateLeft(x, 19), TOps.RotateLeft(x, 10));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec BigSigma1<TOps, TVec>(TVec x)
        where TOps : ILaneOps<TVec>
        where TVec : unmanaged => TOps.Xor3(TOps.RotateLeft(x, 26), TOps.RotateLeft(x, 21), TOps.RotateLeft(x, 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec SmallSigma0<TOps, TVec>(TVec x)
        where TOps : ILaneOps<TVec>
        where TVec : unmanaged => TOps.Xor3(TOps.RotateLeft(x, 25), TOps.RotateLeft(x, 14), TOps.ShiftRight(x, 3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec SmallSigma1<TOps, TVec>(TVec x)
        where TOps : ILaneOps<TVec>
        where TVec : unmanaged => TOps.Xor3(TOps.RotateLeft(x, 15), TOps.RotateLeft(x, 13), TOps.ShiftRight(x, 10));
}
