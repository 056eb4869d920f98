using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Input;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync lmhash</c>: the legacy LM hash, for passwords that have one.</summary>
internal sealed class LmHashCommand : Command
{
    private const string CodePageOption = "--oem-code-page";

    /// <inheritdoc />
    public override string Name => "lmhash";

    /// <inheritdoc />
    public override string Summary => "legacy LM hash of a password (only when asked for; exit 3 if the password has none)";

    /// <inheritdoc />
    public override string Help =>
        "Usage: pwsync lmhash [--password-stdin | --password VALUE] [--oem-code-page N]\n\n" +
        "Prints the LM hash (LMOWFv1) as 32 lowercase hex digits. LM is weak and off by default in AD;\n" +
        "this command exists for legacy interop only. A password longer than 14 OEM bytes, or with a\n" +
        "character the code page cannot represent, has no LM hash: pwsync says so and exits with 3.\n\n" +
        "Options:\n" + PasswordSource.HelpText + "\n" +
        "  --oem-code-page N    the domain controller's OEM code page (default 437)\n\n" +
        "Example:\n  printf %s 'Password' | pwsync lmhash --password-stdin\n  e52cac67419a9a224a3b108f3fa6cb6d\n";

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> ValueOptions => [PasswordSource.PasswordOption, CodePageOption];

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> FlagOptions => [PasswordSource.StdinFlag];

    /// <inheritdoc />
    protected override int Execute(ParsedArguments arguments, CliContext context)
    {
        int codePage = arguments.GetInt32(CodePageOption, 1, 65535) ?? LmHash.DefaultOemCodePage;
        string password = PasswordSource.Read(arguments, context);
        Span<byte> hash = stackalloc byte[LmHash.SizeInBytes];
        bool computed;
        try
        {
            computed = LmHash.TryCompute(password, codePage, hash, out _);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new UsageException($"{CodePageOption} {codePage} is not an available code page");
        }
        if (!computed)
        {
            throw new DataException($"the password has no LM hash (longer than {LmHash.MaxPasswordBytes} bytes in code page {codePage}, or a character it cannot represent)");
        }
        context.Out.WriteLine(Hex.Format(hash));
        return ExitCodes.Ok;
    }
}
