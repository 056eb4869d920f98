using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using PasswordHashSync.Digest;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// The salted digest (PBKDF2-HMAC-SHA256, 1000 iterations, of the 64-byte UTF-16LE upper-hex NT hash) against a
/// bare .NET PBKDF2 over the same precomputed 64-byte input: the ratio is the library's overhead.
/// </summary>
[MemoryDiagnoser]
public class SaltedDigestBenchmarks
{
    private readonly byte[] _ntHash = Convert.FromHexString("92937945b518814341de3f726500d4ff"); // NT("Pa$$w0rd")
    private readonly byte[] _salt = Convert.FromHexString("181a3024085fcee2f70e");
    private readonly byte[] _destination = new byte[SaltedDigest.HashSize];
    private readonly byte[] _pbkdf2Input = System.Text.Encoding.Unicode.GetBytes("92937945B518814341DE3F726500D4FF");

    /// <summary>Rfc2898DeriveBytes.Pbkdf2 (SHA-256, 1000 iterations, 32 bytes) over the documented 64-byte input.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Pbkdf2Sha256Direct()
    {
        Rfc2898DeriveBytes.Pbkdf2(_pbkdf2Input, _salt, _destination, SaltedDigest.DefaultIterationCount, HashAlgorithmName.SHA256);
        return _destination;
    }

    /// <summary>SaltedDigest.TryComputeHash: validation, hex expansion on the stack, PBKDF2, zeroing.</summary>
    [Benchmark]
    public byte[] SaltedDigestTryComputeHash()
    {
        SaltedDigest.TryComputeHash(_ntHash, _salt, SaltedDigest.DefaultIterationCount, _destination, out _);
        return _destination;
    }
}
