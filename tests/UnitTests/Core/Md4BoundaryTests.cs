using Org.BouncyCastle.Crypto.Digests;
using PasswordHashSync.Cryptography;

namespace PasswordHashSync.UnitTests;

/// <summary>Rule: the managed MD4 pads correctly at every length around the 55/56/64-byte block boundaries (vs BouncyCastle).</summary>
public class Md4BoundaryTests
{
    [Fact]
    public void Md4_equals_BouncyCastle_for_every_length_up_to_three_blocks()
    {
        var random = new Random(1320);
        for (int length = 0; length <= 200; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);

            var reference = new MD4Digest();
            reference.BlockUpdate(data, 0, data.Length);
            byte[] expected = new byte[16];
            reference.DoFinal(expected, 0);

            byte[] actual = new byte[16];
            Md4.HashData(data, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"MD4 differs at length {length}.");
        }
    }
}
