using PasswordHashSync.Cli;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Sync;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// The live-DC options of <c>pwsync replicate</c> and <c>pwsync sync --dc</c>: which combinations of --dc, --domain,
/// --user, --auth, --kdc, --realm, --keytab, --password-file and --password-stdin are refused (exit 2, the message names
/// the option) and which are accepted (and what they mean: the KDC endpoint, the realm, the secret's source), run
/// through the whole CLI for both commands and checked on <see cref="DirectorySourceOptions.FromValues"/> for the values.
/// </summary>
/// <remarks>
/// An accepted command line gets as far as reading its secret: a password file or keytab that does not exist gives
/// exit 3 naming the file, before any network access, which is how these tests tell "accepted" from "refused".
/// </remarks>
public sealed class CliDirectorySourceOptionsTests
{
    private const string Missing = "/nonexistent/pwsync-tests/secret";

    private static readonly string[] s_dc = ["--dc", "dc1.corp.example", "--domain", "corp.example", "--user", "svc-phs"];

    public static TheoryData<string, string[], string> Refused() => new()
    {
        // Without --dc every other option of the set is refused, naming itself.
        { "--domain", ["--domain", "corp.example"], "option --domain needs --dc" },
        { "--user", ["--user", "svc"], "option --user needs --dc" },
        { "--password-file", ["--password-file", Missing], "option --password-file needs --dc" },
        { "--password-stdin", ["--password-stdin"], "option --password-stdin needs --dc" },
        { "--auth", ["--auth", "kerberos"], "option --auth needs --dc" },
        { "--kdc", ["--kdc", "kdc1"], "option --kdc needs --dc" },
        { "--realm", ["--realm", "CORP.EXAMPLE"], "option --realm needs --dc" },
        { "--keytab", ["--keytab", Missing], "option --keytab needs --dc" },

        // --dc needs --domain and --user.
        { "--domain", ["--dc", "dc1", "--user", "svc", "--password-file", Missing], "option --domain is required with --dc" },
        { "--user", ["--dc", "dc1", "--domain", "corp.example", "--password-file", Missing], "option --user is required with --dc" },
        { "--domain", ["--dc", "dc1", "--domain", "corp..example", "--user", "svc"], "option --domain must be a DNS domain name" },
        { "--domain", ["--dc", "dc1", "--domain", "DC=corp,DC=example", "--user", "svc"], "option --domain must be a DNS domain name" },
        { "--user", [.. s_dc[..4], "--user", "CORP\\"], "option --user must be USER, DOMAIN\\USER or USER@DOMAIN" },
        { "--user", [.. s_dc[..4], "--user", "svc@"], "option --user must be USER, DOMAIN\\USER or USER@DOMAIN" },

        // --auth takes three words.
        { "--auth", [.. s_dc, "--auth", "spnego"], "option --auth must be negotiate, kerberos or ntlm" },
        { "--auth", [.. s_dc, "--auth", ""], "option --auth must be negotiate, kerberos or ntlm" },

        // One secret source at most; a keytab is no password, and NTLM has no use for Kerberos options.
        { "--password-file", [.. s_dc, "--password-stdin", "--password-file", Missing], "give at most one of --password-stdin, --password-file and --keytab" },
        { "--keytab", [.. s_dc, "--keytab", Missing, "--password-file", Missing], "give at most one of --password-stdin, --password-file and --keytab" },
        { "--keytab", [.. s_dc, "--keytab", Missing, "--password-stdin"], "give at most one of --password-stdin, --password-file and --keytab" },
        { "--keytab", [.. s_dc, "--keytab", Missing, "--auth", "ntlm"], "--keytab holds Kerberos keys; it cannot sign in with --auth ntlm" },
        { "--keytab", [.. s_dc, "--keytab", " "], "option --keytab needs a file" },
        { "--kdc", [.. s_dc, "--auth", "ntlm", "--kdc", "kdc1"], "options --kdc and --realm are for Kerberos, not --auth ntlm" },
        { "--realm", [.. s_dc, "--auth", "NTLM", "--realm", "CORP.EXAMPLE"], "options --kdc and --realm are for Kerberos, not --auth ntlm" },

        // --kdc HOST[:PORT]: the port is 1..65535, an IPv6 address with a port is bracketed.
        { "--kdc", [.. s_dc, "--kdc", "kdc1:0"], "the port in --kdc must be a number from 1 to 65535" },
        { "--kdc", [.. s_dc, "--kdc", "kdc1:65536"], "the port in --kdc must be a number from 1 to 65535" },
        { "--kdc", [.. s_dc, "--kdc", "kdc1:88a"], "the port in --kdc must be a number from 1 to 65535" },
        { "--kdc", [.. s_dc, "--kdc", "kdc1:-88"], "the port in --kdc must be a number from 1 to 65535" },
        { "--kdc", [.. s_dc, "--kdc", "kdc1:"], "the port in --kdc must be a number from 1 to 65535" },
        { "--kdc", [.. s_dc, "--kdc", "[::1]:"], "the port in --kdc must be a number from 1 to 65535" },
        { "--kdc", [.. s_dc, "--kdc", "[::1]:99999"], "the port in --kdc must be a number from 1 to 65535" },
        { "--kdc", [.. s_dc, "--kdc", "[::1"], "option --kdc must be HOST, HOST:PORT or [IPv6]:PORT" },
        { "--kdc", [.. s_dc, "--kdc", "[::1]88"], "option --kdc must be HOST, HOST:PORT or [IPv6]:PORT" },
        { "--kdc", [.. s_dc, "--kdc", "[]:88"], "option --kdc must be HOST, HOST:PORT or [IPv6]:PORT" },
        { "--kdc", [.. s_dc, "--kdc", ":88"], "option --kdc must be HOST, HOST:PORT or [IPv6]:PORT" },
        { "--kdc", [.. s_dc, "--kdc", "kdc:1:2"], "option --kdc must be HOST, HOST:PORT or [IPv6]:PORT" },
        { "--kdc", [.. s_dc, "--kdc", "kdc one"], "option --kdc must be HOST, HOST:PORT or [IPv6]:PORT" },
        { "--kdc", [.. s_dc, "--kdc", ""], "option --kdc must be HOST, HOST:PORT or [IPv6]:PORT" },

        // --dc HOST[:PORT] follows the same rules.
        { "--dc", ["--dc", "dc1:70000", .. s_dc[2..]], "the port in --dc must be a number from 1 to 65535" },
        { "--dc", ["--dc", "[fe80::1", .. s_dc[2..]], "option --dc must be HOST, HOST:PORT or [IPv6]:PORT" },
        { "--dc", ["--dc", "", .. s_dc[2..]], "option --dc must be HOST, HOST:PORT or [IPv6]:PORT" },

        // --realm is one realm name.
        { "--realm", [.. s_dc, "--realm", "CORP EXAMPLE"], "option --realm must be a realm such as CONTOSO.COM" },
        { "--realm", [.. s_dc, "--realm", "svc@CORP.EXAMPLE"], "option --realm must be a realm such as CONTOSO.COM" },
        { "--realm", [.. s_dc, "--realm", "CORP\\EXAMPLE"], "option --realm must be a realm such as CONTOSO.COM" },
        { "--realm", [.. s_dc, "--realm", " "], "option --realm must be a realm such as CONTOSO.COM" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Replicate_refuses_with_exit_2_naming_the_option(string option, string[] arguments, string message) =>
        AssertRefused(option, message, CliRunner.Run(string.Empty, ["replicate", .. arguments]));

    [Theory]
    [MemberData(nameof(Refused))]
    public void Sync_refuses_with_exit_2_naming_the_option(string option, string[] arguments, string message) =>
        AssertRefused(option, message, CliRunner.Run(string.Empty, ["sync", .. arguments]));

    [Fact]
    public void Replicate_without_dc_is_refused_and_sync_without_dc_runs_the_bundled_sample()
    {
        AssertRefused("--dc", "option --dc is required", CliRunner.Run(string.Empty, "replicate"));
        Assert.Equal(ExitCodes.Ok, CliRunner.Run(string.Empty, "sync").ExitCode);
    }

    public static TheoryData<string[], string> Accepted() => new()
    {
        { [.. s_dc, "--password-file", Missing], "cannot read the password file " + Missing },
        { [.. s_dc, "--auth", "kerberos", "--password-file", Missing], "cannot read the password file " + Missing },
        { [.. s_dc, "--auth", "Kerberos", "--kdc", "[::1]:88", "--realm", "corp.example", "--password-file", Missing], "cannot read the password file " + Missing },
        { [.. s_dc, "--auth", "ntlm", "--password-file", Missing], "cannot read the password file " + Missing },
        { [.. s_dc, "--auth", "negotiate", "--kdc", "kdc1:750", "--password-file", Missing], "cannot read the password file " + Missing },
        { [.. s_dc, "--keytab", Missing], "cannot use the keytab " + Missing },
        { [.. s_dc, "--auth", "kerberos", "--keytab", Missing, "--kdc", "10.0.0.1", "--realm", "CORP.EXAMPLE"], "cannot use the keytab " + Missing },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Replicate_accepts_and_goes_on_to_read_the_secret(string[] arguments, string message) =>
        AssertAccepted(message, CliRunner.Run(string.Empty, ["replicate", .. arguments]));

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Sync_accepts_and_goes_on_to_read_the_secret(string[] arguments, string message) =>
        AssertAccepted(message, CliRunner.Run(string.Empty, ["sync", .. arguments]));

    [Theory]
    [InlineData("[::1]:88", "[::1]:88")]
    [InlineData("[::1]", "[::1]:88")]
    [InlineData("::1", "[::1]:88")] // a bare IPv6 address has no port; it is bracketed for host:port
    [InlineData("[2001:db8::5]:8888", "[2001:db8::5]:8888")]
    [InlineData("kdc1", "kdc1:88")]
    [InlineData("kdc1.corp.example:750", "kdc1.corp.example:750")]
    [InlineData(" 10.0.0.1:1 ", "10.0.0.1:1")]
    [InlineData("10.0.0.1:65535", "10.0.0.1:65535")]
    public void Kdc_is_host_and_port_88_unless_given(string kdc, string expected) =>
        Assert.Equal(expected, Options(kdc: kdc).Kdc);

    [Theory]
    [InlineData("dc1.corp.example", "dc1.corp.example:88")]
    [InlineData("dc1.corp.example:49152", "dc1.corp.example:88")] // the DRSUAPI port is not the KDC's
    [InlineData("192.0.2.7", "192.0.2.7:88")]
    [InlineData("[2001:db8::7]:5000", "[2001:db8::7]:88")]
    public void Without_kdc_the_KDC_is_the_DC_on_port_88(string dc, string expected) =>
        Assert.Equal(expected, Options(dc: dc).Kdc);

    [Theory]
    [InlineData("svc-phs", null, "CORP.EXAMPLE")] // the upper-cased --domain
    [InlineData("CORP\\svc-phs", null, "CORP.EXAMPLE")] // a NetBIOS domain is no realm
    [InlineData("svc-phs@child.corp.example", null, "CHILD.CORP.EXAMPLE")] // a UPN's domain is
    [InlineData("svc-phs@CORP", null, "CORP.EXAMPLE")] // a dotless @domain is a NetBIOS name
    [InlineData("svc-phs@child.corp.example", "other.example", "OTHER.EXAMPLE")] // --realm wins, upper-cased
    public void Realm_comes_from_realm_else_a_UPN_else_the_domain(string user, string? realm, string expected) =>
        Assert.Equal(expected, Options(user: user, realm: realm).Realm);

    [Fact]
    public void The_secret_source_and_the_authentication_are_what_the_options_name()
    {
        DirectorySourceOptions keytab = Options(keytab: "/etc/pwsync/svc.keytab");
        Assert.Equal(DirectoryPasswordSource.Keytab, keytab.PasswordSource);
        Assert.Equal("/etc/pwsync/svc.keytab", keytab.PasswordFile);
        Assert.Equal(DirectoryAuthentication.Negotiate, keytab.Authentication);

        Assert.Equal(DirectoryPasswordSource.File, Options(file: "pw.txt").PasswordSource);
        Assert.Equal(DirectoryPasswordSource.StandardInput, Options(stdin: true).PasswordSource);
        Assert.Equal(DirectoryPasswordSource.EnvironmentOrPrompt, Options().PasswordSource);
        Assert.Equal(DirectoryAuthentication.Kerberos, Options(auth: " KERBEROS ").Authentication);
        Assert.Equal(DirectoryAuthentication.Ntlm, Options(auth: "ntlm").Authentication);
        Assert.Equal(DirectoryAuthentication.Negotiate, Options(auth: "negotiate").Authentication);

        DirectorySourceOptions user = Options(user: "CORP\\svc-phs");
        Assert.Equal(("svc-phs", "CORP"), (user.UserName, user.UserDomain));
        DirectorySourceOptions upn = Options(user: "svc-phs@corp.example");
        Assert.Equal(("svc-phs", "corp.example"), (upn.UserName, upn.UserDomain));
        Assert.Equal(("dc1.corp.example", 49152), (Options(dc: "dc1.corp.example:49152").Host, Options(dc: "dc1.corp.example:49152").Port));
        Assert.Null(DirectorySourceOptions.FromValues(null, null, null, stdin: false, file: null));
    }

    [Fact]
    public void Without_a_secret_source_and_no_terminal_the_password_is_asked_for_by_name()
    {
        DirectorySourceOptions options = Options() with { Environment = _ => null };
        UsageException e = Assert.Throws<UsageException>(() => options.CreateCredential(new CliContext(Stream.Null, Stream.Null, TextWriter.Null, inputIsTerminal: false, errorIsTerminal: false)));
        Assert.Contains("--password-stdin", e.Message, StringComparison.Ordinal);
    }

    private static DirectorySourceOptions Options(
        string dc = "dc1.corp.example", string user = "svc-phs", string? auth = null, string? kdc = null, string? realm = null, string? keytab = null, string? file = null, bool stdin = false) =>
        DirectorySourceOptions.FromValues(dc, "corp.example", user, stdin, file, auth, kdc, realm, keytab)!;

    private static void AssertRefused(string option, string message, CliRunner.Outcome outcome)
    {
        Assert.True(outcome.ExitCode == ExitCodes.Usage, $"exit {outcome.ExitCode}: {outcome.StandardError}");
        Assert.Contains(message, outcome.StandardError, StringComparison.Ordinal);
        Assert.Contains(option, outcome.StandardError, StringComparison.Ordinal);
        Assert.Empty(outcome.StandardOutput);
    }

    private static void AssertAccepted(string message, CliRunner.Outcome outcome)
    {
        Assert.True(outcome.ExitCode == ExitCodes.DataError, $"exit {outcome.ExitCode}: {outcome.StandardError}");
        Assert.Contains(message, outcome.StandardError, StringComparison.Ordinal);
    }
}
