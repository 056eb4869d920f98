using System.Globalization;
using FsCheck.Xunit;
using PasswordHashSync.Digest;

namespace PasswordHashSync.PropertyTests;

/// <summary>The <c>v1;PPH1_MD4,...;</c> wire string: format then parse is the identity, and the text is the documented shape.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 500)]
public class WireFormatProperties
{
    [Property]
    public void Format_then_parse_round_trips(DigestSalt salt, AnyIterationCount iterations, DigestHash hash)
    {
        var digest = new SaltedDigest(salt.Value, iterations.Value, hash.Value);
        string wire = digest.ToWireString();

        // The shape, built independently: lowercase hex, decimal count, trailing ';'.
        string expected = "v1;PPH1_MD4," + Convert.ToHexStringLower(salt.Value) + "," +
            iterations.Value.ToString(CultureInfo.InvariantCulture) + "," + Convert.ToHexStringLower(hash.Value) + ";";
        Assert.Equal(expected, wire);
        Assert.Equal(wire.Length, digest.WireStringLength);

        Span<char> buffer = stackalloc char[wire.Length];
        Assert.True(digest.TryFormat(buffer, out int written));
        Assert.Equal(wire, buffer[..written].ToString());

        SaltedDigest parsed = SaltedDigest.Parse(wire);
        Assert.Equal(digest, parsed);
        Assert.Equal(salt.Value, parsed.Salt.ToArray());
        Assert.Equal(iterations.Value, parsed.IterationCount);
        Assert.Equal(hash.Value, parsed.Hash.ToArray());

        // Uppercase hex is read too (the writer always emits lowercase).
        Assert.Equal(digest, SaltedDigest.Parse(wire.ToUpperInvariant().Replace("V1;PPH1_MD4,", "v1;PPH1_MD4,", StringComparison.Ordinal)));
    }
}
