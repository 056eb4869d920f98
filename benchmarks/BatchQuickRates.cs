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
        byte[] ntHex = System.Text.Encoding.Unicode.GetBytes(Convert.ToHexString(nts.AsSpan(0, 16)));
        byte[] one = new byte[32];
        for (int rep = 0; rep < 3; rep++)
        {
            double bc = Rate(() =>
            {
                var md4 = new Org.BouncyCastle.Crypto.Digests.MD4Digest();
                foreach (string p in passwords)
                {
                    byte[] utf16 = System.Text.Encoding.Unicode.GetBytes(p);
                    md4.BlockUpdate(utf16, 0, utf16.Length);
                    md4.DoFinal(ntOut, 0);
                }
            }, passwords.Length);
            double rfc256 = Rate(() => Rfc2898DeriveBytes.Pbkdf2(ntHex, salts.AsSpan(0, 10), one, 1000, HashAlgorithmName.SHA256), 1);
            double rfc1 = Rate(() => Rfc2898DeriveBytes.Pbkdf2("Password00001!"u8, aesSalts[0], one, 4096, HashAlgorithmName.SHA1), 1);
            double nt = Rate(() => NtHashBatch.Compute(passwords, ntOut), passwords.Length);
            double digest = Rate(() => SaltedDigestBatch.ComputeHashes(nts, salts, 10, 1000, digestOut), 64);
            double aes = Rate(() => KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Aes256CtsHmacSha196, aesPasswords, aesSalts, aesOut), aesPasswords.Length);
            Console.WriteLine($"best: NT {nt / 1e6:F2} M/s = {nt / bc:F1}x BC ({bc / 1e6:F2} M/s); digest {digest:F0}/s = {digest / rfc256:F1}x Rfc2898 ({rfc256:F0}/s); AES256 {aes:F0}/s = {aes / rfc1:F1}x Rfc2898 ({rfc1:F0}/s)");
        }

        string[] empties = new string[4096];
        Array.Fill(empties, string.Empty);
        Console.WriteLine($"NT empty passwords: {Rate(() => NtHashBatch.Compute(empties, ntOut), empties.Length) / 1e6:F1} M/s; 13-char: {Rate(() => NtHashBatch.Compute(passwords, ntOut), passwords.Length) / 1e6:F1} M/s");
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
        while (watch.ElapsedMilliseconds < 500)
        {
            action();
            items += itemsPerCall;
        }

        return items / watch.Elapsed.TotalSeconds;
    }
}
