using System.CommandLine;
using PasswordHashSync.Cli.Input;

namespace PasswordHashSync.Cli.Options;

/// <summary>The Kerberos salt options shared by <c>kerberos</c> and <c>keytab</c>: <c>--salt</c>, <c>--salt-hex</c>, <c>--realm</c>, <c>--account</c>, <c>--account-type</c>.</summary>
internal sealed class SaltOptionSet
{
    private readonly Option<string> _salt = new(SaltOptions.Salt) { Description = "The salt as text (UTF-8).", HelpName = "TEXT" };
    private readonly Option<string> _saltHex = new(SaltOptions.SaltHex) { Description = "The salt as bytes, in hex.", HelpName = "HEX" };
    private readonly Option<string> _realm = new(SaltOptions.Realm) { Description = "The realm, for Active Directory's salt rule (MS-KILE 3.1.1.2).", HelpName = "R" };
    private readonly Option<string> _account = new(SaltOptions.Account) { Description = "The account name (sAMAccountName), for Active Directory's salt rule.", HelpName = "NAME" };
    private readonly Option<string> _accountType = new(SaltOptions.AccountType)
    {
        Description = "user (default): REALM + name; computer: REALM + \"host\" + lower(name without $) + \".\" + lower(realm); trust: REALM + \"krbtgt\" + flat name.",
        HelpName = "user|computer|trust",
    };

    /// <summary>Creates the options, with completions for the account type.</summary>
    public SaltOptionSet() => _accountType.CompletionSources.Add("user", "computer", "trust");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Add(_salt);
        command.Add(_saltHex);
        command.Add(_realm);
        command.Add(_account);
        command.Add(_accountType);
    }

    /// <summary>Reads the parsed values.</summary>
    /// <param name="result">The parse result.</param>
    /// <returns>The salt options as given.</returns>
    public SaltSpec Bind(ParseResult result) =>
        new(result.GetValue(_salt), result.GetValue(_saltHex), result.GetValue(_realm), result.GetValue(_account), result.GetValue(_accountType));
}
