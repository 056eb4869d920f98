using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Input;

namespace PasswordHashSync.Cli.Execution;

/// <summary>Prints the LM hash of a password, or refuses when it has none.</summary>
internal static class LmHashExecutor
{
    /// <summary>Reads the password and prints its LM hash.</summary>
    /// <param name="password">Where the password comes from.</param>
    /// <param name="codePage">The OEM code page.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="UsageException">The code page is not available.</exception>
    /// <exception cref="DataException">The password has no LM hash.</exception>
    public static int Run(PasswordInput password, int codePage, CliContext context)
    {
        string text = PasswordSource.Read(password, context);
        Span<byte> hash = stackalloc byte[LmHash.SizeInBytes];
        bool computed;
        try
        {
            computed = LmHash.TryCompute(text, codePage, hash, out _);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new UsageException($"--oem-code-page {codePage} is not an available code page");
        }
        if (!computed)
        {
            throw new DataException($"the password has no LM hash (longer than {LmHash.MaxPasswordBytes} bytes in code page {codePage}, or a character it cannot represent)");
        }
        context.Out.WriteLine(Hex.Format(hash));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(hash);
        return ExitCodes.Ok;
    }
}
