using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace PasswordHashSync.Cryptography;

/// <summary>Managed RC4 (BouncyCastle): .NET has no RC4, and MS-DRSR secrets are RC4-encrypted.</summary>
internal static class Rc4
{
    /// <summary>XORs <paramref name="input"/> with the RC4 key stream of <paramref name="key"/> into <paramref name="output"/>.</summary>
    public static void Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var engine = new RC4Engine();
        engine.Init(true, new KeyParameter(key));
        engine.ProcessBytes(input, output);
    }
}
