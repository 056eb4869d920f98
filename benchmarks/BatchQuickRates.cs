using System.Diagnostics;
using System.Security.Cryptography;
using PasswordHashSync.Batch;
using PasswordHashSync.Batch.Kernels;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// A quick single-thread Stopwatch probe of every batch path (<c>batch-rates</c> mode): for tuning and sanity checks,
/// not for the published figures (those come from BenchmarkDotNet).
/// </summary>
internal static class BatchQuickRates
{
    public static void Run()
    {
        Console.WriteLine($"Best path: {BatchKernelSelector.BestAvailable}; CPU threads: {Environment.ProcessorCount}");
        string[] passwords = [.. Enumerable.Range(0, 4096).Select(i => $"Password{i:D5}!")];
        byte[] ntOut = new byte[16 * passwords.Length];
        byte[] nts = RandomNumberGenerator.GetBytes(16 * 64);
        byte[] salts = RandomNumberGenerator.GetBytes(10 * 64);
        byte[] digestOut = new byte[32 * 64];
        string[] aesPasswords = [.. passwords.Take(32)];
        byte[][] aesSalts = [.. aesPasswords.Select(_ => "CONTOSO.COMhostdc01.contoso.c"u8.ToArray())];
        byte[] aesOut = new byte[32 * aesPasswords.Length];
        foreach (SimdPath path in BatchKernelSelector.SupportedPaths)
        {
            using (BatchKernelSelector.Force(path))
            {
                double nt = Rate(() => NtHashBatch.Compute(passwords, ntOut), passwords.Length);
                double digest = Rate(() => SaltedDigestBatch.ComputeHashes(nts, salts, 10, 1000, digestOut), 64);
                double aes = Rate(() => KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Aes256CtsHmacSha196, aesPasswords, aesSalts, aesOut), aesPasswords.Length);
                Console.WriteLine($"{path,-10} NT {nt / 1e6,8:F2} M/s   digest(1000) {digest,9:F0}/s   AES256(4096) {aes,8:F0}/s");
            }
        }
    }

    private static double Rate(Action action, int itemsPerCall)
    {
        action();
        var watch = Stopwatch.StartNew();
        long items = 0;
        while (watch.ElapsedMilliseconds < 700)
        {
            action();
            items += itemsPerCall;
        }

        return items / watch.Elapsed.TotalSeconds;
    }
}
