using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Input;

/// <summary>An NT hash given as <c>--nt-hash HEX</c> or computed from a password read by <see cref="PasswordSource"/>.</summary>
internal static class NtHashInput
{
    /// <summary>Returns the NT hash (the caller zeroes it).</summary>
    /// <param name="arguments">The options.</param>
    /// <param name="context">The streams.</param>
    /// <param name="option">The name of the NT hash option.</param>
    /// <returns>16 bytes.</returns>
    /// <exception cref="UsageException">Both an NT hash and a password source were given.</exception>
    /// <exception cref="DataException">The hex is malformed.</exception>
    public static byte[] Read(ParsedArguments arguments, CliContext context, string option)
    {
        string? hex = arguments.Get(option);
        if (hex is not null)
        {
            if (arguments.Has(PasswordSource.StdinFlag) || arguments.Has(PasswordSource.PasswordOption))
            {
                throw new UsageException($"give either {option} or a password, not both");
            }
            return Hex.Parse(hex, option, NtHash.SizeInBytes, NtHash.SizeInBytes);
        }
        return NtHash.Compute(PasswordSource.Read(arguments, context));
    }
}
