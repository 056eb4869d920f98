using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// AES (SHA-1) Kerberos string-to-key with the AD default 4096 iterations, against a bare .NET PBKDF2-HMAC-SHA1 of
/// the same size: PBKDF2 is nearly all the work, so the ratio shows the cost of UTF-8 encoding and DK(AES).
/// Each category has its own baseline.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class KerberosKeyBenchmarks
{
    private const int Iterations = 4096;
    private const string Password = "Pa$$w0rd";

    private readonly byte[] _salt = Encoding.UTF8.GetBytes("CONTOSO.COMjohn");
    private readonly byte[] _utf8Password = Encoding.UTF8.GetBytes(Password);
    private readonly byte[] _destination32 = new byte[32];
    private readonly byte[] _destination16 = new byte[16];

    private static readonly KerberosEncryptionType[] s_aesPair =
        [KerberosEncryptionType.Aes256CtsHmacSha196, KerberosEncryptionType.Aes128CtsHmacSha196];

    /// <summary>Rfc2898DeriveBytes.Pbkdf2, SHA-1, 4096 iterations, 32 bytes (the AES256 tkey alone).</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("AES256")]
    public byte[] Pbkdf2Sha1For32Bytes()
    {
        Rfc2898DeriveBytes.Pbkdf2(_utf8Password, _salt, _destination32, Iterations, HashAlgorithmName.SHA1);
        return _destination32;
    }

    /// <summary>KerberosKeyDerivation.TryDeriveKey for aes256-cts-hmac-sha1-96.</summary>
    [Benchmark]
    [BenchmarkCategory("AES256")]
    public byte[] TryDeriveKeyAes256()
    {
        KerberosKeyDerivation.TryDeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, Password, _salt, _destination32, out _, Iterations);
        return _destination32;
    }

    /// <summary>Rfc2898DeriveBytes.Pbkdf2, SHA-1, 4096 iterations, 16 bytes (the AES128 tkey alone).</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("AES128")]
    public byte[] Pbkdf2Sha1For16Bytes()
    {
        Rfc2898DeriveBytes.Pbkdf2(_utf8Password, _salt, _destination16, Iterations, HashAlgorithmName.SHA1);
        return _destination16;
    }

    /// <summary>KerberosKeyDerivation.TryDeriveKey for aes128-cts-hmac-sha1-96.</summary>
    [Benchmark]
    [BenchmarkCategory("AES128")]
    public byte[] TryDeriveKeyAes128()
    {
        KerberosKeyDerivation.TryDeriveKey(KerberosEncryptionType.Aes128CtsHmacSha196, Password, _salt, _destination16, out _, Iterations);
        return _destination16;
    }

    /// <summary>
    /// One PBKDF2-HMAC-SHA1 of 32 bytes: the least work that can produce both AES keys. A set that did not share
    /// the PBKDF2 run would show a ratio near 1.5 (32 + 16 bytes = three SHA-1 blocks of output, not two).
    /// </summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("AES256+AES128")]
    public byte[] Pbkdf2Sha1SharedFor32Bytes()
    {
        Rfc2898DeriveBytes.Pbkdf2(_utf8Password, _salt, _destination32, Iterations, HashAlgorithmName.SHA1);
        return _destination32;
    }

    /// <summary>KerberosKeyDerivation.DeriveKeys for AES256 + AES128: one shared PBKDF2, two DK steps, two KerberosKey objects.</summary>
    [Benchmark]
    [BenchmarkCategory("AES256+AES128")]
    public int DeriveKeysAesPair()
    {
        IReadOnlyList<KerberosKey> keys = KerberosKeyDerivation.DeriveKeys(Password, _salt, s_aesPair, Iterations);
        int count = keys.Count;
        foreach (KerberosKey key in keys)
        {
            key.Dispose();
        }

        return count;
    }
}
