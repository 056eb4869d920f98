using System.Security.Cryptography;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Digest;

namespace PasswordHashSync.Cli.Execution;

/// <summary>Prints the salted digest of a password or NT hash.</summary>
internal static class DigestExecutor
{
    /// <summary>Computes and prints the digest.</summary>
    /// <param name="saltHex">The salt in hex, or <see langword="null"/> for a fresh random one.</param>
    /// <param name="iterations">The PBKDF2 iteration count.</param>
    /// <param name="source">Where the NT hash comes from.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string? saltHex, int iterations, NtHashSource source, CliContext context)
    {
        byte[] salt = saltHex is null
            ? RandomNumberGenerator.GetBytes(SaltedDigest.SaltSize)
            : Hex.Parse(saltHex, "--salt-hex", 1, SaltedDigest.MaxSaltSize);
        byte[] ntHash = NtHashInput.Read(source, context);
        try
        {
            context.Out.WriteLine(SaltedDigest.FromNtHash(ntHash, salt, iterations).ToWireString());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ntHash);
        }
        return ExitCodes.Ok;
    }
}
