using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace PasswordHashSync.PropertyTests;

/// <summary>Any UTF-16 string: lone surrogates, NULs, astral pairs, ASCII; up to ~80 code units.</summary>
public sealed record AnyUtf16(string Value)
{
    // Escaped so a counterexample with lone surrogates prints readably.
    public override string ToString()
    {
        var text = new StringBuilder("\"");
        foreach (char c in Value)
        {
            text.Append(c is >= ' ' and < '\x7f' ? c.ToString() : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }

        return text.Append('"').ToString();
    }
}

/// <summary>A salted digest salt: 1 to 64 bytes.</summary>
public sealed record DigestSalt(byte[] Value)
{
    public override string ToString() => Convert.ToHexStringLower(Value);
}

/// <summary>A Kerberos salt: 0 to 80 arbitrary bytes (salts are bytes, not text).</summary>
public sealed record KerberosSaltBytes(byte[] Value)
{
    public override string ToString() => Convert.ToHexStringLower(Value);
}

/// <summary>A small PBKDF2 count (1..8) so properties stay fast.</summary>
public sealed record SmallCount(int Value);

/// <summary>Any valid iteration count, 1..int.MaxValue, biased to the edges (never computed, only formatted/parsed).</summary>
public sealed record AnyIterationCount(int Value);

/// <summary>32 arbitrary bytes standing in for a digest hash.</summary>
public sealed record DigestHash(byte[] Value)
{
    public override string ToString() => Convert.ToHexStringLower(Value);
}

/// <summary>A bit position inside a byte array of the given length.</summary>
public sealed record BitFlip(int Seed);

/// <summary>The generators, registered on each property class with <c>[Properties(Arbitrary = ...)]</c>.</summary>
public static class Generators
{
    public static Arbitrary<AnyUtf16> AnyUtf16() =>
        Gen.ArrayOf(Gen.Frequency(
                (6, Gen.Choose(0x20, 0x7e).Select(i => (char)i)),
                (2, Gen.Choose(0, 0xffff).Select(i => (char)i)),
                (2, Gen.Choose(0xd800, 0xdfff).Select(i => (char)i)),
                (1, Gen.Constant('\0')),
                (2, Gen.Choose(0x80, 0x7ff).Select(i => (char)i))))
            .Select(chars => new AnyUtf16(new string(chars)))
            .ToArbitrary();

    public static Arbitrary<DigestSalt> DigestSalt() =>
        Gen.Choose(1, 64).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))
            .Select(bytes => new DigestSalt(bytes))
            .ToArbitrary();

    public static Arbitrary<KerberosSaltBytes> KerberosSaltBytes() =>
        Gen.Choose(0, 80).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))
            .Select(bytes => new KerberosSaltBytes(bytes))
            .ToArbitrary();

    public static Arbitrary<SmallCount> SmallCount() => Gen.Choose(1, 8).Select(n => new SmallCount(n)).ToArbitrary();

    public static Arbitrary<AnyIterationCount> AnyIterationCount() =>
        Gen.Frequency(
                (3, Gen.Choose(1, 100_000)),
                (2, Gen.Choose(1, int.MaxValue)),
                (1, Gen.Elements(1, 9, 10, 99, 100, 999, 1000, 1001, 999_999_999, 1_000_000_000, int.MaxValue - 1, int.MaxValue)))
            .Select(n => new AnyIterationCount(n))
            .ToArbitrary();

    public static Arbitrary<DigestHash> DigestHash() =>
        Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32).Select(bytes => new DigestHash(bytes)).ToArbitrary();

    public static Arbitrary<BitFlip> BitFlip() => Gen.Choose(0, int.MaxValue).Select(n => new BitFlip(n)).ToArbitrary();
}
