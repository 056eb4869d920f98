using PasswordHashSync.Cli;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Kerberos;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// <c>--allow-rc4</c> on <c>pwsync replicate</c> and <c>pwsync sync --dc</c>: off unless given, carried into the
/// Kerberos credential (plain and inside negotiate), refused with <c>--auth ntlm</c> and without <c>--dc</c> as usage
/// errors (exit 2) before any password is read or any connection is made.
/// </summary>
public class CliAllowRc4Tests
{
    private static DirectorySourceOptions Options(string? auth, bool allowRc4) =>
        DirectorySourceOptions.FromValues("dc1.contoso.test", "contoso.test", "agent", stdin: false, file: null, auth, allowRc4: allowRc4)!
        with { Environment = name => name == "PWSYNC_DC_PASSWORD" ? "Not-A-Real-Pa55" : null };

    private static ReplicationCredential Credential(DirectorySourceOptions options)
    {
        using var error = new StringWriter();
        return options.CreateCredential(new CliContext(new MemoryStream(), new MemoryStream(), error));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("negotiate")]
    [InlineData("kerberos")]
    public void The_flag_is_off_by_default_and_reaches_the_Kerberos_credential_when_given(string? auth)
    {
        Assert.False(Options(auth, allowRc4: false).AllowRc4);
        Assert.True(Options(auth, allowRc4: true).AllowRc4);
        foreach (bool allow in new[] { false, true })
        {
            using ReplicationCredential credential = Credential(Options(auth, allow));
            KerberosCredential kerberos = credential is NegotiateCredential negotiate ? negotiate.Kerberos : Assert.IsType<KerberosCredential>(credential);
            Assert.Equal(allow, kerberos.AllowRc4);
        }
    }

    [Fact]
    public void With_auth_ntlm_the_flag_is_a_usage_error()
    {
        UsageException e = Assert.Throws<UsageException>(() => Options("ntlm", allowRc4: true));
        Assert.Equal("option --allow-rc4 is for Kerberos, not --auth ntlm", e.Message);
    }

    [Fact]
    public void Without_dc_the_flag_is_a_usage_error()
    {
        UsageException e = Assert.Throws<UsageException>(() => DirectorySourceOptions.FromValues(null, null, null, stdin: false, file: null, allowRc4: true));
        Assert.Equal("option --allow-rc4 needs --dc", e.Message);
        Assert.Null(DirectorySourceOptions.FromValues(null, null, null, stdin: false, file: null, allowRc4: false));
    }

    [Theory]
    [InlineData("replicate")]
    [InlineData("sync")]
    public void The_commands_refuse_allow_rc4_with_ntlm_with_exit_2_before_reading_a_password(string command)
    {
        CliRunner.Outcome result = CliRunner.Run(
            "Not-A-Real-Pa55\n", command, "--dc", "127.0.0.1", "--domain", "contoso.test", "--user", "agent", "--auth", "ntlm", "--allow-rc4", "--password-stdin");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("option --allow-rc4 is for Kerberos, not --auth ntlm", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Not-A-Real-Pa55", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Sync_without_dc_refuses_allow_rc4_with_exit_2()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--allow-rc4");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--allow-rc4", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_of_both_commands_lists_the_flag()
    {
        foreach (string command in new[] { "replicate", "sync" })
        {
            CliRunner.Outcome help = CliRunner.Run(string.Empty, command, "--help");
            Assert.Equal(ExitCodes.Ok, help.ExitCode);
            Assert.Contains("--allow-rc4", help.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_help_text_of_the_options_names_the_flag_once() =>
        Assert.Single(DirectorySourceOptions.HelpText.Split('\n'), line => line.Contains("--allow-rc4", StringComparison.Ordinal));
}
