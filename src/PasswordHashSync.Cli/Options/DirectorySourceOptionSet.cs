using System.CommandLine;
using PasswordHashSync.Cli.Sync;

namespace PasswordHashSync.Cli.Options;

/// <summary>
/// The live-DC options of <c>pwsync replicate</c> and <c>pwsync sync --dc</c> as System.CommandLine symbols:
/// <c>--dc</c>, <c>--domain</c>, <c>--user</c>, <c>--auth</c>, <c>--kdc</c>, <c>--realm</c>, <c>--keytab</c>,
/// <c>--allow-rc4</c>, <c>--password-stdin</c>, <c>--password-file</c>. There is deliberately no option that takes the password itself (it
/// would be visible in the process list); without one of these sources the password comes from the environment variable
/// PWSYNC_DC_PASSWORD or a no-echo prompt.
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

    private readonly Option<string> _auth = new(DirectorySourceOptions.AuthOption)
    {
        Description = "How to sign in: negotiate (default; Kerberos, and NTLM only when Kerberos is not possible: no KDC reachable, the KDC does not know the account or the DC's service principal, no host name for an IP --dc), kerberos, or ntlm. A wrong password never falls back.",
        HelpName = "negotiate|kerberos|ntlm",
    };

    private readonly Option<string> _kdc = new(DirectorySourceOptions.KdcOption)
    {
        Description = "The Kerberos KDC (default: the DC, port 88).",
        HelpName = "HOST[:PORT]",
    };

    private readonly Option<string> _realm = new(DirectorySourceOptions.RealmOption)
    {
        Description = "The Kerberos realm (default: the upper-cased --domain, or the domain of --user USER@DOMAIN).",
        HelpName = "REALM",
    };

    private readonly Option<string> _keytab = new(DirectorySourceOptions.KeytabOption)
    {
        Description = "Sign in with Kerberos keys of the account from an MIT keytab instead of a password (an unattended agent).",
        HelpName = "FILE",
    };

    private readonly Option<bool> _allowRc4 = new(DirectorySourceOptions.AllowRc4Flag)
    {
        Description = "Let Kerberos use RC4-HMAC (etype 23) when the account or the KDC offers no AES key. Weak; off by default, and without it such an account is refused with a clear error (never silently signed in with NTLM). Not with --auth ntlm.",
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
        command.Add(_auth);
        command.Add(_kdc);
        command.Add(_realm);
        command.Add(_keytab);
        command.Add(_allowRc4);
        command.Add(_stdin);
        command.Add(_file);
    }

    /// <summary>Reads and checks the parsed values.</summary>
    /// <param name="result">The parse result.</param>
    /// <returns>The options, or <see langword="null"/> when none of them was given.</returns>
    /// <exception cref="Arguments.UsageException">An option is missing or malformed.</exception>
    public DirectorySourceOptions? Bind(ParseResult result) =>
        DirectorySourceOptions.FromValues(
            result.GetValue(_dc),
            result.GetValue(_domain),
            result.GetValue(_user),
            result.GetValue(_stdin),
            result.GetValue(_file),
            result.GetValue(_auth),
            result.GetValue(_kdc),
            result.GetValue(_realm),
            result.GetValue(_keytab),
            result.GetValue(_allowRc4));
}
