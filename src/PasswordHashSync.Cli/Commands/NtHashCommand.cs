using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Input;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync nthash</c>: the NT hash (MD4 of UTF-16LE) of a password.</summary>
internal sealed class NtHashCommand : Command
{
    /// <inheritdoc />
    public override string Name => "nthash";

    /// <inheritdoc />
    public override string Summary => "NT hash of a password (what AD stores in unicodePwd; the RC4-HMAC key)";

    /// <inheritdoc />
    public override string Help =>
        "Usage: pwsync nthash [--password-stdin | --password VALUE]\n\n" +
        "Prints the NT hash (MD4 over the UTF-16LE password) as 32 lowercase hex digits.\n\n" +
        "Options:\n" + PasswordSource.HelpText + "\n\n" +
        "Example:\n  printf %s 'Password' | pwsync nthash --password-stdin\n  a4f49c406510bdcab6824ee7c30fd852\n";

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ValueOptions => [PasswordSource.PasswordOption];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> FlagOptions => [PasswordSource.StdinFlag];

    /// <inheritdoc />
    protected override int Execute(ParsedArguments arguments, CliContext context)
    {
        string password = PasswordSource.Read(arguments, context);
        Span<byte> hash = stackalloc byte[NtHash.SizeInBytes];
        NtHash.Compute(password, hash);
        context.Out.WriteLine(Hex.Format(hash));
        return ExitCodes.Ok;
    }
}
