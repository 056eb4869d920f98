using System.Diagnostics.CodeAnalysis;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// The 32-bit lane operations the multi-buffer hashes need, over one vector type. The kernels are generic over
/// an implementing struct, so the JIT compiles one specialised, fully inlined copy per vector width.
/// </summary>
/// <typeparam name="TVec">The vector type: one 32-bit word of each lane.</typeparam>
internal interface ILaneOps<TVec>
    where TVec : unmanaged
{
    /// <summary>The number of 32-bit lanes in <typeparamref name="TVec"/>.</summary>
    static abstract int LaneCount { get; }

    /// <summary>Every lane = <paramref name="value"/>.</summary>
    static abstract TVec Broadcast(uint value);

    /// <summary>Loads <see cref="LaneCount"/> words.</summary>
    static abstract TVec Load(ReadOnlySpan<uint> source);

    /// <summary>Stores <see cref="LaneCount"/> words.</summary>
    static abstract void Store(TVec value, Span<uint> destination);

    /// <summary>Lane-wise wrapping addition.</summary>
    static abstract TVec Add(TVec left, TVec right);

    /// <summary>Bitwise and.</summary>
    static abstract TVec And(TVec left, TVec right);

    /// <summary>Bitwise or.</summary>
    static abstract TVec Or(TVec left, TVec right);

    /// <summary>Bitwise exclusive or.</summary>
    static abstract TVec Xor(TVec left, TVec right);

    /// <summary>Three-way exclusive or (one instruction with AVX-512).</summary>
    static abstract TVec Xor3(TVec a, TVec b, TVec c);

    /// <summary>Bitwise select: the bits of <paramref name="ifOne"/> where <paramref name="mask"/> is 1, else of <paramref name="ifZero"/>.</summary>
    static abstract TVec Select(TVec mask, TVec ifOne, TVec ifZero);

    /// <summary>Bitwise majority of three words.</summary>
    static abstract TVec Majority(TVec a, TVec b, TVec c);

    /// <summary>Lane-wise rotate left by a constant.</summary>
    static abstract TVec RotateLeft(TVec value, [ConstantExpected(Min = 1, Max = 31)] byte count);

    /// <summary>Lane-wise logical shift right by a constant.</summary>
    static abstract TVec ShiftRight(TVec value, [ConstantExpected(Min = 1, Max = 31)] byte count);

    /// <summary>All ones in lanes where <paramref name="left"/> &lt;= <paramref name="right"/> (unsigned), else zero.</summary>
    static abstract TVec LessThanOrEqual(TVec left, TVec right);
}
