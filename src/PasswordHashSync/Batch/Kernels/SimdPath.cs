namespace PasswordHashSync.Batch.Kernels;

/// <summary>The code path a batch kernel runs on: how many independent inputs one instruction stream hashes.</summary>
internal enum SimdPath
{
    /// <summary>One input at a time through the single-operation code (the fallback on every CPU).</summary>
    Scalar = 0,

    /// <summary>4 lanes of <see cref="System.Runtime.Intrinsics.Vector128{T}"/>.</summary>
    Vector128 = 1,

    /// <summary>8 lanes of <see cref="System.Runtime.Intrinsics.Vector256{T}"/>.</summary>
    Vector256 = 2,

    /// <summary>16 lanes of <see cref="System.Runtime.Intrinsics.Vector512{T}"/>.</summary>
    Vector512 = 3,
}
