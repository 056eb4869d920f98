using System.Runtime.Intrinsics;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// Picks the widest multi-buffer path the CPU accelerates. Tests force each path through <see cref="Force"/>
/// so that every kernel the CPU can run is checked, whatever the machine's best path is.
/// </summary>
internal static class BatchKernelSelector
{
    // AsyncLocal rather than a plain static: test classes run in parallel, and the override must flow into the
    // worker threads of the parallel batch variants without leaking into unrelated tests.
    private static readonly AsyncLocal<SimdPath?> s_forced = new();

    /// <summary>The widest path this CPU accelerates.</summary>
    public static SimdPath BestAvailable { get; } = Detect();

    /// <summary>The path forced for the current async flow, or <see langword="null"/> for <see cref="BestAvailable"/>.</summary>
    public static SimdPath? ForcedPath
    {
        get => s_forced.Value;
        set => s_forced.Value = value;
    }

    /// <summary>The path batch calls use now.</summary>
    public static SimdPath Current => s_forced.Value ?? BestAvailable;

    /// <summary>Every path this CPU accelerates, scalar first.</summary>
    public static IReadOnlyList<SimdPath> SupportedPaths { get; } = ListSupported();

    /// <summary>Whether the CPU runs <paramref name="path"/> in hardware (the others still work, emulated, slowly).</summary>
    public static bool IsAccelerated(SimdPath path) => path switch
    {
        SimdPath.Scalar => true,
        SimdPath.Vector128 => Vector128.IsHardwareAccelerated,
        SimdPath.Vector256 => Vector256.IsHardwareAccelerated,
        SimdPath.Vector512 => Vector512.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>
    /// The path for the last, partial chunk of a PBKDF2 batch with <paramref name="remainingLanes"/> lanes of work: a
    /// 16-lane pass costs as much for 1 lane as for 16, so a lone item goes to the single-operation code and up to 8
    /// to the 8-lane kernel. A forced path is kept, so that tests exercise partial chunks on every kernel.
    /// </summary>
    public static SimdPath NarrowForTail(SimdPath path, int remainingLanes)
    {
        if (s_forced.Value is not null || path == SimdPath.Scalar)
        {
            return path;
        }

        if (remainingLanes <= 1)
        {
            return SimdPath.Scalar;
        }

        return path == SimdPath.Vector512 && remainingLanes <= 8 && Vector256.IsHardwareAccelerated ? SimdPath.Vector256 : path;
    }

    /// <summary>Forces <paramref name="path"/> until the returned scope is disposed.</summary>
    public static IDisposable Force(SimdPath path)
    {
        SimdPath? previous = s_forced.Value;
        s_forced.Value = path;
        return new Scope(previous);
    }

    private static SimdPath Detect()
    {
        // The lane code reads packed UTF-16 code units as little-endian words; a big-endian CPU takes the scalar path.
        if (!BitConverter.IsLittleEndian)
        {
            return SimdPath.Scalar;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            return SimdPath.Vector512;
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return SimdPath.Vector256;
        }

        return Vector128.IsHardwareAccelerated ? SimdPath.Vector128 : SimdPath.Scalar;
    }

    private static SimdPath[] ListSupported()
    {
        var paths = new List<SimdPath> { SimdPath.Scalar };
        if (BitConverter.IsLittleEndian)
        {
            foreach (SimdPath path in new[] { SimdPath.Vector128, SimdPath.Vector256, SimdPath.Vector512 })
            {
                if (IsAccelerated(path))
                {
                    paths.Add(path);
                }
            }
        }

        return [.. paths];
    }

    private sealed class Scope(SimdPath? previous) : IDisposable
    {
        public void Dispose() => s_forced.Value = previous;
    }
}
