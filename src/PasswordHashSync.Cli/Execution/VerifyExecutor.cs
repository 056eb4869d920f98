using System.Security.Cryptography;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Digest;

namespace PasswordHashSync.Cli.Execution;

/// <summary>Checks a password or NT hash against a digest wire string.</summary>
internal static class VerifyExecutor
{
    /// <summary>Verifies and prints the result.</summary>
    /// <param name="digest">The wire string.</param>
    /// <param name="source">Where the NT hash comes from.</param>
    /// <param name="context">The streams.</param>
    /// <returns>0 on a match, 1 otherwise.</returns>
    /// <exception cref="DataException">The digest is malformed.</exception>
    public static int Run(string digest, NtHashSource source, CliContext context)
    {
        if (!SaltedDigest.TryParse(digest, out _, out string? error))
        {
            throw new DataException($"--digest is not a valid digest: {error}");
        }
        byte[] ntHash = NtHashInput.Read(source, context);
        DigestVerificationResult result;
        try
        {
            result = SaltedDigestVerifier.Default.VerifyNtHash(ntHash, digest);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ntHash);
        }
        if (result.Failure == DigestVerificationFailure.IterationCountAboveLimit)
        {
            context.Error.WriteLine($"pwsync verify: {result.Message}");
        }
        context.Out.WriteLine(StatusName(result.Status));
        return result.Succeeded ? ExitCodes.Ok : ExitCodes.NoMatch;
    }

    /// <summary>The camelCase name of a status, as printed and as used in the batch contract.</summary>
    /// <param name="status">The status.</param>
    /// <returns>success, successRehashNeeded or failed.</returns>
    public static string StatusName(DigestVerificationStatus status) => status switch
    {
        DigestVerificationStatus.Success => "success",
        DigestVerificationStatus.SuccessRehashNeeded => "successRehashNeeded",
        _ => "failed",
    };
}
