using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>4 lanes in a <see cref="Vector128{T}"/>; AVX-512 rotates and ternary logic when the CPU has them.</summary>
internal readonly struct Vector128Lanes : ILaneOps<Vector128<uint>>
{
    public static int LaneCount => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Broadcast(uint value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Load(ReadOnlySpan<uint> source) => Vector128.Create(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<uint> value, Span<uint> destination) => value.CopyTo(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Add(Vector128<uint> left, Vector128<uint> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> And(Vector128<uint> left, Vector128<uint> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Or(Vector128<uint> left, Vector128<uint> right) => left | right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Xor(Vector128<uint> left, Vector128<uint> right) => left ^ right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Xor3(Vector128<uint> a, Vector128<uint> b, Vector128<uint> c) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Select(Vector128<uint> mask, Vector128<uint> ifOne, Vector128<uint> ifZero) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(mask, ifOne, ifZero, 0xCA) : Vector128.ConditionalSelect(mask, ifOne, ifZero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Majority(Vector128<uint> a, Vector128<uint> b, Vector128<uint> c) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0xE8) : Vector128.ConditionalSelect(a ^ b, c, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RotateLeft(Vector128<uint> value, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        Avx512F.VL.IsSupported
            ? Avx512F.VL.RotateLeft(value, count)
            : Vector128.ShiftLeft(value, count) | Vector128.ShiftRightLogical(value, 32 - count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> ShiftRight(Vector128<uint> value, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        Vector128.ShiftRightLogical(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> LessThanOrEqual(Vector128<uint> left, Vector128<uint> right) =>
        Vector128.LessThanOrEqual(left, right);
}
