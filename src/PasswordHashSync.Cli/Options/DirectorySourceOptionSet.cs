using System.CommandLine;
using PasswordHashSync.Cli.Sync;

namespace PasswordHashSync.Cli.Options;

/// <summary>
/// The live-DC options of <c>pwsync replicate</c> and <c>pwsync sync --dc</c> as System.CommandLine symbols:
/// <c>--dc</c>, <c>--domain</c>, <c>--user</c>, <c>--password-stdin</c>, <c>--password-file</c>. There is deliberately no
/// option that takes the password itself (it would be visible in the process list).
/// </summary>
internal sealed class DirectorySourceOptionSet
{
    private readonly Option<string> _dc = new(DirectorySourceOptions.DcOption)
    {
        Description = "The domain controller: DNS name or IP, with :PORT for the DRSUAPI port (default: ask its endpoint mapper on 135).",
        HelpName = "HOST[:PORT]",
    };

    private readonly Option<string> _domain = new(DirectorySourceOptions.DomainOption)
    {
        Description = "The domain's DNS name, for example contoso.com.",
        HelpName = "DNS-DOMAIN",
    };

    private readonly Option<string> _user = new(DirectorySourceOptions.UserOption)
    {
        Description = "The replication account (USER, DOMAIN\\USER or USER@DOMAIN); it needs \"Replicating Directory Changes\" and \"Replicating Directory Changes All\" on the domain.",
        HelpName = "USER",
    };

    private readonly Option<bool> _stdin = new(DirectorySourceOptions.PasswordStdinFlag)
    {
        Description = "Read the account's password from standard input (one trailing newline is removed).",
    };

    private readonly Option<string> _file = new(DirectorySourceOptions.PasswordFileOption)
    {
        Description = "Read the account's password from FILE (one trailing newline is removed).",
        HelpName = "FILE",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Add(_dc);
        command.Add(_domain);
        command.Add(_user);
        command.Add(_stdin);
        command.Add(_file);
    }

    /// <summary>Reads and checks the parsed values.</summary>
    /// <param name="result">The parse result.</param>
    /// <returns>The options, or <see langword="null"/> when none of them was given.</returns>
    /// <exception cref="Arguments.UsageException">An option is missing or malformed.</exception>
    public DirectorySourceOptions? Bind(ParseResult result) =>
        DirectorySourceOptions.FromValues(result.GetValue(_dc), result.GetValue(_domain), result.GetValue(_user), result.GetValue(_stdin), result.GetValue(_file));
}
