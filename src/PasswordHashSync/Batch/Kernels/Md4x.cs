using System.Runtime.CompilerServices;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// MD4 compression (RFC 1320) over independent lanes: lane <c>i</c> of every vector belongs to message <c>i</c>.
/// </summary>
internal static class Md4x
{
    /// <summary>The MD4 initial state words A, B, C, D.</summary>
    public static ReadOnlySpan<uint> InitialState => [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

    /// <summary>Compresses one 16-word (little-endian) block per lane into <paramref name="state"/> (A, B, C, D).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compress<TOps, TVec>(Span<TVec> state, ReadOnlySpan<TVec> x)
        where TOps : ILaneOps<TVec>
        where TVec : unmanaged
    {
        // One bounds check up front lets the JIT drop the ones on the constant indexes below.
        _ = state[3];
        _ = x[15];
        TVec a = state[0], b = state[1], c = state[2], d = state[3];
        TVec k2 = TOps.Broadcast(0x5a827999);
        TVec k3 = TOps.Broadcast(0x6ed9eba1);

        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Select(b, c, d)), x[0]), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Select(a, b, c)), x[1]), 7);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Select(d, a, b)), x[2]), 11);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Select(c, d, a)), x[3]), 19);
        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Select(b, c, d)), x[4]), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Select(a, b, c)), x[5]), 7);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Select(d, a, b)), x[6]), 11);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Select(c, d, a)), x[7]), 19);
        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Select(b, c, d)), x[8]), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Select(a, b, c)), x[9]), 7);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Select(d, a, b)), x[10]), 11);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Select(c, d, a)), x[11]), 19);
        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Select(b, c, d)), x[12]), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Select(a, b, c)), x[13]), 7);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Select(d, a, b)), x[14]), 11);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Select(c, d, a)), x[15]), 19);

        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Majority(b, c, d)), TOps.Add(x[0], k2)), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Majority(a, b, c)), TOps.Add(x[4], k2)), 5);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Majority(d, a, b)), TOps.Add(x[8], k2)), 9);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Majority(c, d, a)), TOps.Add(x[12], k2)), 13);
        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Majority(b, c, d)), TOps.Add(x[1], k2)), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Majority(a, b, c)), TOps.Add(x[5], k2)), 5);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Majority(d, a, b)), TOps.Add(x[9], k2)), 9);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Majority(c, d, a)), TOps.Add(x[13], k2)), 13);
        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Majority(b, c, d)), TOps.Add(x[2], k2)), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Majority(a, b, c)), TOps.Add(x[6], k2)), 5);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Majority(d, a, b)), TOps.Add(x[10], k2)), 9);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Majority(c, d, a)), TOps.Add(x[14], k2)), 13);
        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Majority(b, c, d)), TOps.Add(x[3], k2)), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Majority(a, b, c)), TOps.Add(x[7], k2)), 5);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Majority(d, a, b)), TOps.Add(x[11], k2)), 9);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Majority(c, d, a)), TOps.Add(x[15], k2)), 13);

        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Xor3(b, c, d)), TOps.Add(x[0], k3)), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Xor3(a, b, c)), TOps.Add(x[8], k3)), 9);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Xor3(d, a, b)), TOps.Add(x[4], k3)), 11);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Xor3(c, d, a)), TOps.Add(x[12], k3)), 15);
        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Xor3(b, c, d)), TOps.Add(x[2], k3)), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Xor3(a, b, c)), TOps.Add(x[10], k3)), 9);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Xor3(d, a, b)), TOps.Add(x[6], k3)), 11);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Xor3(c, d, a)), TOps.Add(x[14], k3)), 15);
        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Xor3(b, c, d)), TOps.Add(x[1], k3)), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Xor3(a, b, c)), TOps.Add(x[9], k3)), 9);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Xor3(d, a, b)), TOps.Add(x[5], k3)), 11);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Xor3(c, d, a)), TOps.Add(x[13], k3)), 15);
        a = TOps.RotateLeft(TOps.Add(TOps.Add(a, TOps.Xor3(b, c, d)), TOps.Add(x[3], k3)), 3);
        d = TOps.RotateLeft(TOps.Add(TOps.Add(d, TOps.Xor3(a, b, c)), TOps.Add(x[11], k3)), 9);
        c = TOps.RotateLeft(TOps.Add(TOps.Add(c, TOps.Xor3(d, a, b)), TOps.Add(x[7], k3)), 11);
        b = TOps.RotateLeft(TOps.Add(TOps.Add(b, TOps.Xor3(c, d, a)), TOps.Add(x[15], k3)), 15);

        state[0] = TOps.Add(state[0], a);
        state[1] = TOps.Add(state[1], b);
        state[2] = TOps.Add(state[2], c);
        state[3] = TOps.Add(state[3], d);
    }
}
