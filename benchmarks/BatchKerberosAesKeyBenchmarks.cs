using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using PasswordHashSync.Batch;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// AES256 Kerberos keys (PBKDF2-HMAC-SHA1, 4096 iterations, 32 bytes, 29-byte salt) for 32 passwords, one thread;
/// figures are per key. Baseline: Rfc2898DeriveBytes.Pbkdf2 for the 32-byte PBKDF2 output alone (no DK step).
/// </summary>
[MemoryDiagnoser]
public class BatchKerberosAesKeyBenchmarks
{
    private const int Count = 32;
    private const int Iterations = 4096;
    private readonly string[] _passwords = [.. Enumerable.Range(0, Count).Select(i => $"Winter{i:D4}!ab")];
    private readonly byte[][] _salts = [.. Enumerable.Range(0, Count).Select(i => Encoding.UTF8.GetBytes($"CONTOSO.COMhostdc{i:D2}.contoso.c"))];
    private readonly byte[][] _utf8 = new byte[Count][];
    private readonly byte[] _output = new byte[32 * Count];

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Count; i++)
        {
            _utf8[i] = Encoding.UTF8.GetBytes(_passwords[i]);
        }
    }

#pragma warning disable CA5350 // RFC 3962 is defined over HMAC-SHA1.
    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "Rfc2898DeriveBytes.Pbkdf2 SHA1 4096 x 32 B loop")]
    public void Rfc2898()
    {
        for (int i = 0; i < Count; i++)
        {
            Rfc2898DeriveBytes.Pbkdf2(_utf8[i], _salts[i], _output.AsSpan(32 * i, 32), Iterations, HashAlgorithmName.SHA1);
        }
    }
#pragma warning restore CA5350

    [Benchmark(OperationsPerInvoke = Count, Description = "BouncyCastle Pkcs5S2 SHA1 loop")]
    public void BouncyCastle()
    {
        for (int i = 0; i < Count; i++)
        {
            var generator = new Pkcs5S2ParametersGenerator(new Sha1Digest());
            generator.Init(_utf8[i], _salts[i], Iterations);
            ((KeyParameter)generator.GenerateDerivedMacParameters(256)).GetKey().CopyTo(_output, 32 * i);
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "KerberosKeyDerivation.DeriveKey single-op loop (AES256, incl. DK)")]
    public void SingleOperation()
    {
        for (int i = 0; i < Count; i++)
        {
            KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, _passwords[i], _salts[i], _output.AsSpan(32 * i, 32), Iterations);
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "KerberosAesKeyBatch.DeriveKeys AES256 (incl. DK)")]
    public void Batch() => KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Aes256CtsHmacSha196, _passwords, _salts, _output, Iterations);

    [Benchmark(OperationsPerInvoke = Count, Description = "KerberosAesKeyBatch.DeriveKeys AES128 (incl. DK)")]
    public void BatchAes128() => KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Aes128CtsHmacSha196, _passwords, _salts, _output, Iterations);
}
