using FsCheck;
using FsCheck.Fluent;

namespace PasswordHashSync.PropertyTests;

/// <summary>Random batches for the batch-engine properties: mixed lengths, non-ASCII, lone surrogates, odd counts.</summary>
internal static class BatchGenerators
{
    /// <summary>One UTF-16 code unit: mostly ASCII, some BMP, lone high and low surrogates, NUL.</summary>
    public static Gen<char> CodeUnit { get; } = Gen.Frequency(
        (6, Gen.Choose(0x20, 0x7e).Select(c => (char)c)),
        (2, Gen.Choose(0x80, 0xffff).Select(c => (char)c)),
        (1, Gen.Choose(0xd800, 0xdfff).Select(c => (char)c)),
        (1, Gen.Elements('\0', '\u00e9', '\u20ac', '\ud83d', '\ude00')));

    /// <summary>A password of 0 to <paramref name="maxLength"/> code units, biased to the lengths around the one-block edge.</summary>
    public static Gen<string> Password(int maxLength) =>
        Gen.Frequency(
            (3, Gen.Choose(0, maxLength)),
            (1, Gen.Choose(25, 30)))
        .SelectMany(length => Gen.ArrayOf(CodeUnit, length))
        .Select(chars => new string(chars));

    /// <summary>A password of 0 to 27 code units: always one MD4 block.</summary>
    public static Gen<string> OneBlockPassword { get; } =
        Gen.Choose(0, 27).SelectMany(length => Gen.ArrayOf(CodeUnit, length)).Select(chars => new string(chars));

    public static Gen<byte[]> Bytes(int minLength, int maxLength) =>
        Gen.Choose(minLength, maxLength)
            .SelectMany(length => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length));

    /// <summary>A list of 0 to 100 items.</summary>
    public static Gen<T[]> Batch<T>(Gen<T> item) =>
        Gen.Frequency((4, Gen.Choose(0, 100)), (1, Gen.Choose(0, 20)))
            .SelectMany(count => Gen.ArrayOf(item, count));

    /// <summary>Small, mostly odd iteration counts (the batch loop must stop each lane at its own count).</summary>
    public static Gen<int> SmallIterationCount { get; } = Gen.Frequency(
        (3, Gen.Choose(1, 50)),
        (1, Gen.Elements(1, 2, 3, 17, 33)));
}
