using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using PasswordHashSync.Batch;
using PasswordHashSync.Digest;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// Salted digests (PBKDF2-HMAC-SHA256, 1000 iterations, 10-byte salts) of 64 NT hashes, one thread; figures are per
/// digest. Baseline: Rfc2898DeriveBytes.Pbkdf2 (OpenSSL) over the same 64-byte hex password.
/// </summary>
[MemoryDiagnoser]
public class BatchSaltedDigestBenchmarks
{
    private const int Count = 64;
    private const int Iterations = SaltedDigest.DefaultIterationCount;
    private readonly byte[] _ntHashes = new byte[16 * Count];
    private readonly byte[] _salts = new byte[10 * Count];
    private readonly byte[][] _hexPasswords = new byte[Count][];
    private readonly byte[] _output = new byte[32 * Count];

    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_ntHashes);
        new Random(43).NextBytes(_salts);
        for (int i = 0; i < Count; i++)
        {
            _hexPasswords[i] = Encoding.Unicode.GetBytes(Convert.ToHexString(_ntHashes, 16 * i, 16));
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "Rfc2898DeriveBytes.Pbkdf2 SHA256 loop")]
    public void Rfc2898()
    {
        for (int i = 0; i < Count; i++)
        {
            Rfc2898DeriveBytes.Pbkdf2(_hexPasswords[i], _salts.AsSpan(10 * i, 10), _output.AsSpan(32 * i, 32), Iterations, HashAlgorithmName.SHA256);
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "BouncyCastle Pkcs5S2 SHA256 loop")]
    public void BouncyCastle()
    {
        for (int i = 0; i < Count; i++)
        {
            var generator = new Pkcs5S2ParametersGenerator(new Sha256Digest());
            generator.Init(_hexPasswords[i], _salts.AsSpan(10 * i, 10).ToArray(), Iterations);
            ((KeyParameter)generator.GenerateDerivedMacParameters(256)).GetKey().CopyTo(_output, 32 * i);
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "SaltedDigest.ComputeHash single-op loop")]
    public void SingleOperation()
    {
        for (int i = 0; i < Count; i++)
        {
            SaltedDigest.ComputeHash(_ntHashes.AsSpan(16 * i, 16), _salts.AsSpan(10 * i, 10), Iterations, _output.AsSpan(32 * i, 32));
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "SaltedDigestBatch.ComputeHashes")]
    public void Batch() => SaltedDigestBatch.ComputeHashes(_ntHashes, _salts, 10, Iterations, _output);
}
