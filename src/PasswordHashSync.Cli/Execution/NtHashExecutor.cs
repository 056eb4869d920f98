using PasswordHashSync.Cli.Input;

namespace PasswordHashSync.Cli.Execution;

/// <summary>Prints the NT hash of a password.</summary>
internal static class NtHashExecutor
{
    /// <summary>Reads the password and prints its NT hash.</summary>
    /// <param name="password">Where the password comes from.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    public static int Run(PasswordInput password, CliContext context)
    {
        string text = PasswordSource.Read(password, context);
        Span<byte> hash = stackalloc byte[NtHash.SizeInBytes];
        NtHash.Compute(text, hash);
        context.Out.WriteLine(Hex.Format(hash));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(hash);
        return ExitCodes.Ok;
    }
}
