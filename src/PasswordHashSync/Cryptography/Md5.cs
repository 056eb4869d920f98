using Org.BouncyCastle.Crypto.Digests;

namespace PasswordHashSync.Cryptography;

/// <summary>
/// Managed MD5 (BouncyCastle). The platform MD5 throws on FIPS-enforcing Windows hosts, which is exactly where
/// a password hash sync agent must still derive the MS-DRSR envelope key.
/// </summary>
internal static class Md5
{
    public const int HashSizeInBytes = 16;

    /// <summary>MD5 over the concatenation of <paramref name="first"/> and <paramref name="second"/>.</summary>
    public static void HashData(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        var digest = new MD5Digest();
        digest.BlockUpdate(first);
        digest.BlockUpdate(second);
        digest.DoFinal(destination);
    }

    /// <summary>MD5 of <paramref name="data"/>.</summary>
    public static void HashData(ReadOnlySpan<byte> data, Span<byte> destination) => HashData(data, default, destination);
}
