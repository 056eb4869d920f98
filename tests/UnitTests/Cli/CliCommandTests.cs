namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// The pwsync commands against published vectors, and the exit code rules: 0 ok/match, 1 no match, 2 usage, 3 data.
/// </summary>
public class CliCommandTests
{
    private const string DsiBlogDigest = "v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;";

    [Fact]
    public void Nthash_of_Password_from_stdin_is_the_MS_NLMP_value()
    {
        CliRunner.Outcome result = CliRunner.Run("Password\n", "nthash", "--password-stdin");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852\n", result.StandardOutput);
    }

    [Fact]
    public void Stdin_password_loses_exactly_one_trailing_CRLF()
    {
        // "Password\r\n\r\n" keeps one CRLF: the NT hash must differ from that of "Password".
        CliRunner.Outcome one = CliRunner.Run("Password\r\n", "nthash", "--password-stdin");
        CliRunner.Outcome two = CliRunner.Run("Password\r\n\r\n", "nthash", "--password-stdin");
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852\n", one.StandardOutput);
        Assert.NotEqual(one.StandardOutput, two.StandardOutput);
    }

    [Fact]
    public void Lmhash_of_Password_is_the_MS_NLMP_value()
    {
        CliRunner.Outcome result = CliRunner.Run("Password", "lmhash", "--password-stdin");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("e52cac67419a9a224a3b108f3fa6cb6d\n", result.StandardOutput);
    }

    [Fact]
    public void Lmhash_of_a_15_character_password_is_a_data_error_exit_3()
    {
        CliRunner.Outcome result = CliRunner.Run("123456789012345", "lmhash", "--password-stdin");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no LM hash", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public void Kerberos_with_AD_user_salt_matches_the_DSInternals_vectors()
    {
        CliRunner.Outcome result = CliRunner.Run(
            "Pa$$w0rd", "kerberos", "--etype", "aes256-cts-hmac-sha1-96,17,rc4-hmac", "--realm", "ADATUM.COM", "--account", "April", "--password-stdin");
        Assert.Equal(0, result.ExitCode);
        string[] lines = result.StandardOutput.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.EndsWith(" 3a3b6a89bb82d112db5ef68f6db5d1afc2b806df61dcd85e3eacf3b85ee382d8", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(" a72c8bc96c4a6f03244f0b0067a1e440", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(" 92937945b518814341de3f726500d4ff", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("aes256-cts-hmac-sha1-96", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Kerberos_computer_salt_matches_the_Kerberos_NET_service_vector()
    {
        // Kerberos.NET: P@ssw0rd!, salt DOMAIN.COMhostappservice.domain.com, aes256 -> 3717...
        CliRunner.Outcome result = CliRunner.Run(
            "P@ssw0rd!", "kerberos", "--etype", "18", "--realm", "domain.com", "--account", "appservice$", "--account-type", "computer", "--password-stdin");
        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith(" 37178c78c2f4ada2e0692801683d9df9255f775290dc504ea44414f7a447ae94\n", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Kerberos_without_a_salt_for_AES_is_a_usage_error()
    {
        CliRunner.Outcome result = CliRunner.Run("x", "kerberos", "--etype", "aes256-cts", "--password-stdin");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("salt", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_with_the_DSInternals_blog_salt_gives_the_published_wire_string()
    {
        CliRunner.Outcome result = CliRunner.Run("Pa$$w0rd", "digest", "--salt-hex", "181a3024085fcee2f70e", "--password-stdin");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(DsiBlogDigest + "\n", result.StandardOutput);
    }

    [Fact]
    public void Digest_from_an_NT_hash_equals_digest_from_the_password()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "digest", "--salt-hex", "181a3024085fcee2f70e", "--nt-hash", "92937945B518814341DE3F726500D4FF");
        Assert.Equal(DsiBlogDigest + "\n", result.StandardOutput);
    }

    [Fact]
    public void Digest_without_salt_uses_a_fresh_10_byte_salt_and_1000_iterations()
    {
        string first = CliRunner.Run("Pa$$w0rd", "digest", "--password-stdin").StandardOutput;
        string second = CliRunner.Run("Pa$$w0rd", "digest", "--password-stdin").StandardOutput;
        Assert.Matches("^v1;PPH1_MD4,[0-9a-f]{20},1000,[0-9a-f]{64};\n$", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Verify_exit_code_is_0_on_match_and_1_on_mismatch()
    {
        CliRunner.Outcome match = CliRunner.Run("Pa$$w0rd\n", "verify", "--digest", DsiBlogDigest, "--password-stdin");
        CliRunner.Outcome mismatch = CliRunner.Run("Pa$$w0rD\n", "verify", "--digest", DsiBlogDigest, "--password-stdin");
        Assert.Equal((0, "success\n"), (match.ExitCode, match.StandardOutput));
        Assert.Equal((1, "failed\n"), (mismatch.ExitCode, mismatch.StandardOutput));
    }

    [Fact]
    public void Verify_of_an_old_100_iteration_digest_says_rehash_needed_with_exit_0()
    {
        // JtR / old DSInternals vector: Pa$$w0rd, salt 317ee9d1dec6508fa510, 100 iterations.
        const string old = "v1;PPH1_MD4,317ee9d1dec6508fa510,100,f4a257ffec53809081a605ce8ddedfbc9df9777b80256763bc0a6dd895ef404f;";
        CliRunner.Outcome result = CliRunner.Run("Pa$$w0rd", "verify", "--digest", old, "--password-stdin");
        Assert.Equal((0, "successRehashNeeded\n"), (result.ExitCode, result.StandardOutput));
    }

    [Fact]
    public void Verify_of_a_malformed_digest_is_a_data_error_exit_3()
    {
        CliRunner.Outcome result = CliRunner.Run("Pa$$w0rd", "verify", "--digest", "v1;PPH1_MD4,zz,1000,00;", "--password-stdin");
        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public void A_password_given_as_a_plain_argument_is_refused_with_exit_2_and_not_echoed()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "nthash", "Sup3rS3cret!");
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("Sup3rS3cret!", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3rS3cret!", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_is_exit_2_and_not_echoed()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "Sup3rS3cret!");
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("Sup3rS3cret!", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Password_option_works_but_warns_on_stderr()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "nthash", "--password", "Password");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852\n", result.StandardOutput);
        Assert.Contains("warning", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_password_source_and_no_terminal_the_command_is_a_usage_error()
    {
        CliRunner.Outcome result = CliRunner.Run("Password", "nthash");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--password-stdin", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_terminal_the_password_comes_from_the_no_echo_prompt()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, inputIsTerminal: true, prompt: _ => "Password", "nthash");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852\n", result.StandardOutput);
    }

    [Fact]
    public void Invalid_UTF8_on_stdin_is_a_data_error_exit_3()
    {
        CliRunner.Outcome result = CliRunner.RunBytes([0x50, 0xff, 0x41], inputIsTerminal: false, prompt: null, "nthash", "--password-stdin");
        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public void Bad_hex_is_a_data_error_exit_3_and_a_missing_option_value_is_exit_2()
    {
        Assert.Equal(3, CliRunner.Run(string.Empty, "digest", "--nt-hash", "abc").ExitCode);
        Assert.Equal(2, CliRunner.Run(string.Empty, "digest", "--nt-hash").ExitCode);
        Assert.Equal(2, CliRunner.Run(string.Empty, "verify", "--password-stdin").ExitCode);
    }

    [Theory]
    [InlineData("nthash")]
    [InlineData("lmhash")]
    [InlineData("kerberos")]
    [InlineData("digest")]
    [InlineData("verify")]
    [InlineData("keytab")]
    [InlineData("batch")]
    [InlineData("sync")]
    [InlineData("diagnose")]
    public void Every_command_has_help_with_its_usage_and_exit_0(string command)
    {
        // System.CommandLine's generated help: description, usage line, every option; then pwsync's notes.
        CliRunner.Outcome result = CliRunner.Run(string.Empty, command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Description:\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"\nUsage:\n  pwsync {command} [options]\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\nOptions:\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardError);
    }

    [Fact]
    public void General_help_lists_every_command_and_the_exit_codes()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (string name in new[] { "nthash", "lmhash", "kerberos", "digest", "verify", "keytab", "batch", "sync", "diagnose" })
        {
            Assert.Contains("  " + name, result.StandardOutput, StringComparison.Ordinal);
        }
        Assert.Contains("Exit codes", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, CliRunner.Run(string.Empty).ExitCode);
    }
}
