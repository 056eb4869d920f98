using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;
using X86Sse2 = System.Runtime.Intrinsics.X86.Sse2;

namespace PasswordHashSync.Cryptography;

/// <summary>
/// Single-block AES-128/256 encryption with the x86 AES-NI instructions, for Kerberos DK. The platform
/// <see cref="System.Security.Cryptography.Aes"/> allocates on every <c>SetKey</c> and one-shot call, and string-to-key
/// must allocate nothing; AES-NI is also constant-time, unlike a table-driven managed AES, so there is no managed
/// fallback here: callers use the platform class when <see cref="IsSupported"/> is false.
/// </summary>
internal static class AesNiBlock
{
    public static bool IsSupported => X86Aes.IsSupported && X86Sse2.IsSupported;

    /// <summary>
    /// Encrypts <paramref name="block"/> under <paramref name="key"/> (16 or 32 bytes) into <paramref name="destination"/>[..16],
    /// then, while <paramref name="destination"/> has room, encrypts each output block again (K2 = E(K1), ...).
    /// </summary>
    public static void EncryptChain(ReadOnlySpan<byte> key, ReadOnlySpan<byte> block, Span<byte> destination)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("AES-NI is not available.");
        }

        if (key.Length is not (16 or 32) || block.Length != 16 || destination.Length % 16 != 0 || destination.IsEmpty)
        {
            throw new ArgumentException("AES-NI block encryption needs a 16- or 32-byte key, one 16-byte block and whole output blocks.");
        }

        RoundKeys roundKeys = default;
        try
        {
            int rounds = key.Length == 16 ? ExpandKey128(key, ref roundKeys) : ExpandKey256(key, ref roundKeys);
            Vector128<byte> state = Vector128.Create(block);
            for (int offset = 0; offset < destination.Length; offset += 16)
            {
                state = Encrypt(state, ref roundKeys, rounds);
                state.CopyTo(destination[offset..]);
            }
        }
        finally
        {
            // Round keys are the key in another form.
            ((Span<Vector128<byte>>)roundKeys).Clear();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Encrypt(Vector128<byte> state, ref RoundKeys roundKeys, int rounds)
    {
        state ^= roundKeys[0];
        for (int i = 1; i < rounds; i++)
        {
            state = X86Aes.Encrypt(state, roundKeys[i]);
        }

        return X86Aes.EncryptLast(state, roundKeys[rounds]);
    }

    // FIPS 197 5.2 key expansion with AESKEYGENASSIST (Intel AES-NI white paper, figure 24 and 26).
    private static int ExpandKey128(ReadOnlySpan<byte> key, ref RoundKeys rk)
    {
        rk[0] = Vector128.Create(key);
        rk[1] = Expand(rk[0], X86Aes.KeygenAssist(rk[0], 0x01));
        rk[2] = Expand(rk[1], X86Aes.KeygenAssist(rk[1], 0x02));
        rk[3] = Expand(rk[2], X86Aes.KeygenAssist(rk[2], 0x04));
        rk[4] = Expand(rk[3], X86Aes.KeygenAssist(rk[3], 0x08));
        rk[5] = Expand(rk[4], X86Aes.KeygenAssist(rk[4], 0x10));
        rk[6] = Expand(rk[5], X86Aes.KeygenAssist(rk[5], 0x20));
        rk[7] = Expand(rk[6], X86Aes.KeygenAssist(rk[6], 0x40));
        rk[8] = Expand(rk[7], X86Aes.KeygenAssist(rk[7], 0x80));
        rk[9] = Expand(rk[8], X86Aes.KeygenAssist(rk[8], 0x1b));
        rk[10] = Expand(rk[9], X86Aes.KeygenAssist(rk[9], 0x36));
        return 10;
    }

    private static int ExpandKey256(ReadOnlySpan<byte> key, ref RoundKeys rk)
    {
        rk[0] = Vector128.Create(key[..16]);
        rk[1] = Vector128.Create(key[16..32]);
        rk[2] = Expand(rk[0], X86Aes.KeygenAssist(rk[1], 0x01));
        rk[3] = Expand256Odd(rk[1], rk[2]);
        rk[4] = Expand(rk[2], X86Aes.KeygenAssist(rk[3], 0x02));
        rk[5] = Expand256Odd(rk[3], rk[4]);
        rk[6] = Expand(rk[4], X86Aes.KeygenAssist(rk[5], 0x04));
        rk[7] = Expand256Odd(rk[5], rk[6]);
        rk[8] = Expand(rk[6], X86Aes.KeygenAssist(rk[7], 0x08));
        rk[9] = Expand256Odd(rk[7], rk[8]);
        rk[10] = Expand(rk[8], X86Aes.KeygenAssist(rk[9], 0x10));
        rk[11] = Expand256Odd(rk[9], rk[10]);
        rk[12] = Expand(rk[10], X86Aes.KeygenAssist(rk[11], 0x20));
        rk[13] = Expand256Odd(rk[11], rk[12]);
        rk[14] = Expand(rk[12], X86Aes.KeygenAssist(rk[13], 0x40));
        return 14;
    }

    // w[i..i+3] = prefix-XOR of the previous four words, XOR the broadcast RotWord/SubWord/Rcon word (word 3 of the assist).
    private static Vector128<byte> Expand(Vector128<byte> previous, Vector128<byte> assist) =>
        PrefixXor(previous) ^ X86Sse2.Shuffle(assist.AsInt32(), 0xff).AsByte();

    // The odd 256-bit step uses SubWord without rotation or round constant: word 2 of KEYGENASSIST(x, 0).
    private static Vector128<byte> Expand256Odd(Vector128<byte> previous, Vector128<byte> latest) =>
        PrefixXor(previous) ^ X86Sse2.Shuffle(X86Aes.KeygenAssist(latest, 0x00).AsInt32(), 0xaa).AsByte();

    private static Vector128<byte> PrefixXor(Vector128<byte> value)
    {
        Vector128<byte> shifted = X86Sse2.ShiftLeftLogical128BitLane(value, 4);
        Vector128<byte> result = value ^ shifted;
        shifted = X86Sse2.ShiftLeftLogical128BitLane(shifted, 4);
        result ^= shifted;
        shifted = X86Sse2.ShiftLeftLogical128BitLane(shifted, 4);
        return result ^ shifted;
    }

    [InlineArray(15)]
    private struct RoundKeys
    {
        private Vector128<byte> _element;
    }
}
