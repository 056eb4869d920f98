using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Options;

namespace PasswordHashSync.Cli.Input;

/// <summary>
/// An NT hash given as <c>--nt-hash HEX</c> (works, but warns like <c>--password</c>: it is a password equivalent),
/// read from standard input with <c>--nt-hash-stdin</c>, or computed from a password read by <see cref="PasswordSource"/>.
/// </summary>
internal static class NtHashInput
{
    /// <summary>Returns the NT hash (the caller zeroes it).</summary>
    /// <param name="source">The options.</param>
    /// <param name="context">The streams.</param>
    /// <returns>16 bytes.</returns>
    /// <exception cref="UsageException">Two sources were given.</exception>
    /// <exception cref="DataException">The hex is malformed, or the password is refused.</exception>
    public static byte[] Read(NtHashSource source, CliContext context)
    {
        int given = (source.Hex is null ? 0 : 1) + (source.FromStdin ? 1 : 0) + (source.Password.IsGiven ? 1 : 0);
        if (given > 1)
        {
            throw new UsageException($"give one of {NtHashOptions.ValueName}, {NtHashOptions.StdinName} or a password, not several");
        }
        if (source.Hex is not null)
        {
            context.Error.WriteLine($"pwsync: warning: {NtHashOptions.ValueName} exposes a password equivalent to other users and to shell history; prefer {NtHashOptions.StdinName}.");
            return Hex.Parse(source.Hex, NtHashOptions.ValueName, NtHash.SizeInBytes, NtHash.SizeInBytes);
        }
        if (source.FromStdin)
        {
            string text = PasswordSource.ReadStandardInput(context.Input, "NT hash");
            return Hex.Parse(text, "the NT hash on standard input", NtHash.SizeInBytes, NtHash.SizeInBytes);
        }
        return NtHash.Compute(PasswordSource.Read(source.Password, context));
    }
}
