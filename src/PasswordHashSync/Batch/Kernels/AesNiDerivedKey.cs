using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// RFC 3961 DK(tkey, "kerberos") for the AES types with AES-NI: the same result as
/// <see cref="KerberosDerivedKey.DeriveAesKey"/>, but without the per-call allocations of .NET's <c>Aes</c> object
/// (<c>SetKey</c> and <c>EncryptEcb</c> allocate about 270 bytes per key), so a steady-state batch allocates nothing.
/// Falls back to <see cref="KerberosDerivedKey.DeriveAesKey"/> when the CPU has no AES-NI.
/// </summary>
internal static class AesNiDerivedKey
{
    /// <summary>K1 = E(tkey, constant), K2 = E(tkey, K1); the key is K1 (AES128) or K1 ‖ K2 (AES256).</summary>
    public static void DeriveAesKey(ReadOnlySpan<byte> inputKey, Span<byte> destination)
    {
        if (!System.Runtime.Intrinsics.X86.Aes.IsSupported || !Sse2.IsSupported)
        {
            KerberosDerivedKey.DeriveAesKey(inputKey, destination);
            return;
        }

        Span<Vector128<byte>> roundKeys = stackalloc Vector128<byte>[15];
        try
        {
            int rounds = inputKey.Length == 32 ? ExpandKey256(inputKey, roundKeys) : ExpandKey128(inputKey, roundKeys);
            Vector128<byte> k1 = Encrypt(Vector128.Create(KerberosDerivedKey.KerberosConstant), roundKeys, rounds);
            k1.CopyTo(destination);
            if (destination.Length == 32)
            {
                Encrypt(k1, roundKeys, rounds).CopyTo(destination[16..]);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(roundKeys));
        }
    }

    private static Vector128<byte> Encrypt(Vector128<byte> block, ReadOnlySpan<Vector128<byte>> roundKeys, int rounds)
    {
        Vector128<byte> state = block ^ roundKeys[0];
        for (int r = 1; r < rounds; r++)
        {
            state = System.Runtime.Intrinsics.X86.Aes.Encrypt(state, roundKeys[r]);
        }

        return System.Runtime.Intrinsics.X86.Aes.EncryptLast(state, roundKeys[rounds]);
    }

    /// <summary>FIPS 197 key expansion for a 16-byte key: 11 round keys.</summary>
    private static int ExpandKey128(ReadOnlySpan<byte> key, Span<Vector128<byte>> roundKeys)
    {
        Vector128<byte> k = Vector128.Create(key[..16]);
        roundKeys[0] = k;
        roundKeys[1] = k = Next128(k, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(k, 0x01));
        roundKeys[2] = k = Next128(k, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(k, 0x02));
        roundKeys[3] = k = Next128(k, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(k, 0x04));
        roundKeys[4] = k = Next128(k, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(k, 0x08));
        roundKeys[5] = k = Next128(k, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(k, 0x10));
        roundKeys[6] = k = Next128(k, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(k, 0x20));
        roundKeys[7] = k = Next128(k, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(k, 0x40));
        roundKeys[8] = k = Next128(k, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(k, 0x80));
        roundKeys[9] = k = Next128(k, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(k, 0x1b));
        roundKeys[10] = Next128(k, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(k, 0x36));
        return 10;
    }

    /// <summary>FIPS 197 key expansion for a 32-byte key: 15 round keys.</summary>
    private static int ExpandKey256(ReadOnlySpan<byte> key, Span<Vector128<byte>> roundKeys)
    {
        Vector128<byte> even = Vector128.Create(key[..16]);
        Vector128<byte> odd = Vector128.Create(key.Slice(16, 16));
        roundKeys[0] = even;
        roundKeys[1] = odd;
        roundKeys[2] = even = NextEven256(even, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(odd, 0x01));
        roundKeys[3] = odd = NextOdd256(odd, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(even, 0x00));
        roundKeys[4] = even = NextEven256(even, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(odd, 0x02));
        roundKeys[5] = odd = NextOdd256(odd, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(even, 0x00));
        roundKeys[6] = even = NextEven256(even, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(odd, 0x04));
        roundKeys[7] = odd = NextOdd256(odd, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(even, 0x00));
        roundKeys[8] = even = NextEven256(even, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(odd, 0x08));
        roundKeys[9] = odd = NextOdd256(odd, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(even, 0x00));
        roundKeys[10] = even = NextEven256(even, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(odd, 0x10));
        roundKeys[11] = odd = NextOdd256(odd, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(even, 0x00));
        roundKeys[12] = even = NextEven256(even, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(odd, 0x20));
        roundKeys[13] = NextOdd256(odd, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(even, 0x00));
        roundKeys[14] = NextEven256(even, System.Runtime.Intrinsics.X86.Aes.KeygenAssist(roundKeys[13], 0x40));
        return 14;
    }

    // w[i] = w[i-1] ^ w[i-4] over the four words of the previous round key, plus the transformed last word
    // (RotWord/SubWord/Rcon, from KeygenAssist's word 3) or just SubWord (word 2) for AES-256's odd round keys.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Next128(Vector128<byte> previous, Vector128<byte> assist) =>
        PrefixXor(previous) ^ Sse2.Shuffle(assist.AsUInt32(), 0xff).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> NextEven256(Vector128<byte> previousEven, Vector128<byte> assist) =>
        PrefixXor(previousEven) ^ Sse2.Shuffle(assist.AsUInt32(), 0xff).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> NextOdd256(Vector128<byte> previousOdd, Vector128<byte> assist) =>
        PrefixXor(previousOdd) ^ Sse2.Shuffle(assist.AsUInt32(), 0xaa).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> PrefixXor(Vector128<byte> k)
    {
        k ^= Sse2.ShiftLeftLogical128BitLane(k, 4);
        k ^= Sse2.ShiftLeftLogical128BitLane(k, 4);
        return k ^ Sse2.ShiftLeftLogical128BitLane(k, 4);
    }
}
