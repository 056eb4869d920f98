namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// Secrets on the way in (issue 13, items 8 and 9): <c>--nt-hash</c> warns like <c>--password</c>,
/// <c>--nt-hash-stdin</c> keeps the hash off the command line, and the empty password is refused unless
/// <c>--allow-empty-password</c>, from standard input, the prompt and the option alike.
/// </summary>
public sealed class CliSecretInputTests
{
    private const string DsiBlogDigest = "v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;";
    private const string PaSSw0rdNtHash = "92937945b518814341de3f726500d4ff";

    // MS-NLMP / every NT hash table: the NT hash of the empty password.
    private const string EmptyNtHash = "31d6cfe0d16ae931b73c59d7e0c089c0";

    [Fact]
    public void Nt_hash_option_works_but_warns_on_stderr()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "digest", "--salt-hex", "181a3024085fcee2f70e", "--nt-hash", PaSSw0rdNtHash);
        Assert.Equal((0, DsiBlogDigest + "\n"), (result.ExitCode, result.StandardOutput));
        Assert.Equal("pwsync: warning: --nt-hash exposes a password equivalent to other users and to shell history; prefer --nt-hash-stdin.\n", result.StandardError);
        Assert.DoesNotContain(PaSSw0rdNtHash, result.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(PaSSw0rdNtHash)]
    [InlineData(PaSSw0rdNtHash + "\n")]
    [InlineData("92937945B518814341DE3F726500D4FF\r\n")]
    public void Nt_hash_stdin_gives_the_same_digest_without_a_warning(string stdin)
    {
        CliRunner.Outcome digest = CliRunner.Run(stdin, "digest", "--salt-hex", "181a3024085fcee2f70e", "--nt-hash-stdin");
        Assert.Equal((0, DsiBlogDigest + "\n", string.Empty), (digest.ExitCode, digest.StandardOutput, digest.StandardError));

        CliRunner.Outcome verify = CliRunner.Run(stdin, "verify", "--digest", DsiBlogDigest, "--nt-hash-stdin");
        Assert.Equal((0, "success\n"), (verify.ExitCode, verify.StandardOutput));
    }

    [Fact]
    public void Nt_hash_stdin_with_bad_hex_is_a_data_error_that_does_not_echo_it()
    {
        CliRunner.Outcome result = CliRunner.Run("92937945b518814341de3f726500d4f", "verify", "--digest", DsiBlogDigest, "--nt-hash-stdin");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("the NT hash on standard input", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("92937945", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--nt-hash", PaSSw0rdNtHash, "--nt-hash-stdin")]
    [InlineData("--nt-hash", PaSSw0rdNtHash, "--password-stdin")]
    [InlineData("--nt-hash-stdin", null, "--password-stdin")]
    public void Two_secret_sources_are_a_usage_error(string first, string? value, string second)
    {
        string[] arguments = value is null
            ? ["verify", "--digest", DsiBlogDigest, first, second]
            : ["verify", "--digest", DsiBlogDigest, first, value, second];
        CliRunner.Outcome result = CliRunner.Run(PaSSw0rdNtHash, arguments);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("give one of --nt-hash, --nt-hash-stdin or a password, not several", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Theory]
    [InlineData("nthash")]
    [InlineData("lmhash")]
    [InlineData("digest")]
    [InlineData("kerberos", "--etype", "rc4-hmac")]
    [InlineData("verify", "--digest", DsiBlogDigest)]
    [InlineData("keytab", "--principal", "alice@EXAMPLE.COM", "--output", "/nonexistent-folder/never.keytab")]
    public void An_empty_password_from_stdin_is_refused_with_exit_3(string command, params string[] more)
    {
        foreach (string stdin in new[] { string.Empty, "\n", "\r\n" })
        {
            CliRunner.Outcome result = CliRunner.Run(stdin, [command, .. more, "--password-stdin"]);
            Assert.Equal(3, result.ExitCode);
            Assert.Equal(
                $"pwsync {command}: the password is empty (an unset variable?); pass --allow-empty-password if an empty password is intended\n",
                result.StandardError);
            Assert.Equal(string.Empty, result.StandardOutput);
        }
    }

    [Theory]
    [InlineData("replicate")]
    [InlineData("sync")]
    public void An_empty_DC_account_password_is_refused_before_connecting(string command)
    {
        // Port 9 on loopback: nothing listens, so a connection attempt would end in exit 4, not 3.
        string[] dc = ["--dc", "127.0.0.1:9", "--domain", "example.com", "--user", "svc-phs", "--auth", "ntlm"];
        using var file = new TemporaryPasswordFile(string.Empty);
        foreach (string[] source in new[] { new[] { "--password-stdin" }, new[] { "--password-file", file.Path } })
        {
            CliRunner.Outcome result = CliRunner.Run("\n", [command, .. dc, .. source]);
            Assert.Equal(3, result.ExitCode);
            Assert.Contains("the password for the DC account is empty", result.StandardError, StringComparison.Ordinal);
        }

        CliRunner.Outcome prompt = CliRunner.Run(string.Empty, inputIsTerminal: true, prompt: _ => string.Empty, [command, .. dc]);
        Assert.Equal(3, prompt.ExitCode);
        Assert.Contains("the password for the DC account is empty", prompt.StandardError, StringComparison.Ordinal);
    }

    private sealed class TemporaryPasswordFile : IDisposable
    {
        public TemporaryPasswordFile(string content)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"pwsync-empty-{Guid.NewGuid():N}.password");
            File.WriteAllText(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }

    [Fact]
    public void An_empty_password_from_the_prompt_or_the_option_is_refused_too()
    {
        CliRunner.Outcome prompt = CliRunner.Run(string.Empty, inputIsTerminal: true, prompt: _ => string.Empty, "nthash");
        Assert.Equal((3, string.Empty), (prompt.ExitCode, prompt.StandardOutput));
        Assert.Contains("the password is empty", prompt.StandardError, StringComparison.Ordinal);

        CliRunner.Outcome option = CliRunner.Run(string.Empty, "nthash", "--password", string.Empty);
        Assert.Equal((3, string.Empty), (option.ExitCode, option.StandardOutput));
    }

    [Fact]
    public void Allow_empty_password_gives_the_NT_hash_of_the_empty_string()
    {
        CliRunner.Outcome stdin = CliRunner.Run(string.Empty, "nthash", "--password-stdin", "--allow-empty-password");
        Assert.Equal((0, EmptyNtHash + "\n"), (stdin.ExitCode, stdin.StandardOutput));

        CliRunner.Outcome prompt = CliRunner.Run(string.Empty, inputIsTerminal: true, prompt: _ => string.Empty, "nthash", "--allow-empty-password");
        Assert.Equal((0, EmptyNtHash + "\n"), (prompt.ExitCode, prompt.StandardOutput));
    }

    [Fact]
    public void Allow_empty_password_changes_nothing_for_a_non_empty_password()
    {
        CliRunner.Outcome result = CliRunner.Run("Password", "nthash", "--password-stdin", "--allow-empty-password");
        Assert.Equal((0, "a4f49c406510bdcab6824ee7c30fd852\n"), (result.ExitCode, result.StandardOutput));
    }
}
