using System.Runtime.Intrinsics;
using PasswordHashSync.Batch.Kernels;

namespace PasswordHashSync.PropertyTests;

/// <summary>The batch code paths to test on this CPU, and a check that the ones CI needs did run.</summary>
internal static class BatchPaths
{
    public static IReadOnlyList<SimdPath> Supported => BatchKernelSelector.SupportedPaths;

    /// <summary>Rule: every property runs scalar, 128 and 256 lanes, and 512 when the CPU accelerates it.</summary>
    public static void AssertAllRan(ISet<SimdPath> ran)
    {
        Assert.Contains(SimdPath.Scalar, ran);
        Assert.Contains(SimdPath.Vector128, ran);
        Assert.Contains(SimdPath.Vector256, ran);
        if (Vector512.IsHardwareAccelerated)
        {
            Assert.Contains(SimdPath.Vector512, ran);
        }
    }

    public static FsCheck.Config CheckConfig(int maxTest) => FsCheck.Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(true);
}
