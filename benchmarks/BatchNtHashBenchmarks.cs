using System.Text;
using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Crypto.Digests;
using PasswordHashSync.Batch;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// NT hashes of 4096 passwords of 12–13 characters, one thread. Every figure is per password
/// (OperationsPerInvoke); the baseline is BouncyCastle's MD4Digest over the same UTF-16LE bytes.
/// </summary>
[MemoryDiagnoser]
public class BatchNtHashBenchmarks
{
    private const int Count = 4096;
    private readonly string[] _passwords = [.. Enumerable.Range(0, Count).Select(i => $"Summer{i:D5}!x"[..(12 + (i % 2))])];
    private readonly byte[] _utf16 = new byte[128];
    private readonly byte[] _hashes = new byte[16 * Count];
    private readonly MD4Digest _md4 = new();
    private char[] _packed = [];
    private int[] _lengths = [];

    [GlobalSetup]
    public void Setup()
    {
        _packed = string.Concat(_passwords).ToCharArray();
        _lengths = [.. _passwords.Select(p => p.Length)];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "BouncyCastle MD4Digest loop")]
    public void BouncyCastleMd4()
    {
        for (int i = 0; i < _passwords.Length; i++)
        {
            int length = Encoding.Unicode.GetBytes(_passwords[i], _utf16);
            _md4.BlockUpdate(_utf16, 0, length);
            _md4.DoFinal(_hashes, 16 * i);
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "NtHash.Compute single-op loop")]
    public void SingleOperation()
    {
        for (int i = 0; i < _passwords.Length; i++)
        {
            NtHash.Compute(_passwords[i], _hashes.AsSpan(16 * i, 16));
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "NtHashBatch.Compute (string list)")]
    public void Batch() => NtHashBatch.Compute(_passwords, _hashes);

    [Benchmark(OperationsPerInvoke = Count, Description = "NtHashBatch.ComputePacked (char arena)")]
    public void BatchPacked() => NtHashBatch.ComputePacked(_packed, _lengths, _hashes);
}
