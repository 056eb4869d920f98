using System.Diagnostics;
using System.Runtime.Intrinsics;
using PasswordHashSync.Batch.Kernels;

namespace PasswordHashSync.Benchmarks;

/// <summary>Tuning probe (<c>batch-nt-parts</c>): the cost of each stage of the 48-lane NT kernel, per password.</summary>
internal static class BatchNtParts
{
    public static void Run()
    {
        Span<Vector512<uint>> state = stackalloc Vector512<uint>[12];
        Span<Vector512<uint>> block = stackalloc Vector512<uint>[48];
        Span<uint> laneMajor = stackalloc uint[16 * 48];
        Span<byte> hashes = stackalloc byte[16 * 48];
        for (int rep = 0; rep < 3; rep++)
        {
            const int Loops = 2_000_000;
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < Loops; i++)
            {
                Md4x3Avx512.Compress(state, block);
            }

            double compress = watch.Elapsed.TotalNanoseconds / Loops / 48;
            watch.Restart();
            for (int i = 0; i < Loops; i++)
            {
                for (int chain = 0; chain < 3; chain++)
                {
                    LaneTranspose.Avx512(laneMajor.Slice(256 * chain, 256), block.Slice(16 * chain, 16));
                }
            }

            double transposeIn = watch.Elapsed.TotalNanoseconds / Loops / 48;
            watch.Restart();
            for (int i = 0; i < Loops; i++)
            {
                for (int chain = 0; chain < 3; chain++)
                {
                    LaneTranspose.StoreDigestsAvx512(state[4 * chain], state[(4 * chain) + 1], state[(4 * chain) + 2], state[(4 * chain) + 3], hashes.Slice(256 * chain, 256));
                }
            }

            double transposeOut = watch.Elapsed.TotalNanoseconds / Loops / 48;
            Console.WriteLine($"per password: compress {compress:F2} ns, transpose in {transposeIn:F2} ns, store out {transposeOut:F2} ns");
        }
    }
}
