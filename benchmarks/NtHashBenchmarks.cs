using System.Text;
using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Crypto.Digests;

namespace PasswordHashSync.Benchmarks;

/// <summary>NT hash (MD4 over UTF-16LE) of a short and a long password: the library's span path against BouncyCastle's MD4.</summary>
[MemoryDiagnoser]
public class NtHashBenchmarks
{
    private readonly byte[] _destination = new byte[16];
    private readonly MD4Digest _bouncyCastle = new();
    private string _password = string.Empty;
    private byte[] _utf16 = [];

    /// <summary>The password length in characters: a typical short password and a 64-character one (two MD4 blocks and more).</summary>
    [Params(8, 64)]
    public int PasswordLength { get; set; }

    /// <summary>Builds the password and its UTF-16LE bytes once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _password = string.Create(PasswordLength, 0, static (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });
        _utf16 = Encoding.Unicode.GetBytes(_password);
    }

    /// <summary>BouncyCastle MD4Digest over the same UTF-16LE bytes (the digest object is reused, as a careful caller would).</summary>
    [Benchmark(Baseline = true)]
    public byte[] BouncyCastleMd4()
    {
        _bouncyCastle.BlockUpdate(_utf16);
        _bouncyCastle.DoFinal(_destination);
        return _destination;
    }

    /// <summary>NtHash.Compute(ReadOnlySpan&lt;char&gt;, Span&lt;byte&gt;): hashes the string's memory in place.</summary>
    [Benchmark]
    public byte[] NtHashComputeSpan()
    {
        NtHash.Compute(_password, _destination);
        return _destination;
    }
}
