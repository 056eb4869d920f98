namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// pwsync on System.CommandLine (issue 14, item 6): generated help, the [suggest] completion directive, response
/// files, strict integer options, and the messages: stray words never echoed, unknown commands named when they look
/// like one, no password hint for commands that take none.
/// </summary>
public sealed class CliParserTests : IDisposable
{
    private const string DsiBlogDigest = "v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "phs-cli-parser-" + Guid.NewGuid().ToString("N"));

    public CliParserTests() => System.IO.Directory.CreateDirectory(_folder);

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("nthash", new[] { "--password-stdin", "--password <VALUE>", "--allow-empty-password" })]
    [InlineData("digest", new[] { "--salt-hex <HEX>", "--iterations <N>", "--nt-hash <HEX>", "--nt-hash-stdin", "--password-stdin", "--allow-empty-password" })]
    [InlineData("verify", new[] { "--digest <WIRE> (REQUIRED)", "--nt-hash <HEX>", "--nt-hash-stdin", "--password-stdin" })]
    [InlineData("kerberos", new[] { "--etype <LIST|all>", "--salt <TEXT>", "--salt-hex <HEX>", "--realm <R>", "--account <NAME>", "--account-type <user|computer|trust>", "--iterations <N>" })]
    [InlineData("keytab", new[] { "--principal <NAME@REALM> (REQUIRED)", "--output <FILE> (REQUIRED)", "--kvno <N>", "--etype <LIST|all>" })]
    [InlineData("sync", new[] { "--input <FILE>", "--settings <FILE>", "--output <FILE>" })]
    [InlineData("diagnose", new[] { "--user <NAME> (REQUIRED)", "--input <FILE>", "--settings <FILE>" })]
    [InlineData("batch", new[] { "--settings <FILE>" })]
    [InlineData("lmhash", new[] { "--oem-code-page <N>", "--password-stdin" })]
    public void Generated_help_lists_every_option_of_the_command(string command, string[] options)
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, command, "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (string option in options)
        {
            Assert.Contains("  " + option, result.StandardOutput, StringComparison.Ordinal);
        }
        Assert.Contains("-?, -h, --help", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_word_and_h_alias_give_the_same_help_as_the_option()
    {
        string expected = CliRunner.Run(string.Empty, "sync", "--help").StandardOutput;
        Assert.Equal(expected, CliRunner.Run(string.Empty, "help", "sync").StandardOutput);
        Assert.Equal(expected, CliRunner.Run(string.Empty, "sync", "-h").StandardOutput);
        Assert.Equal(expected, CliRunner.Run(string.Empty, "sync", "-?").StandardOutput);
        Assert.Contains("Example:\n  pwsync sync --settings managed.json --output records.jsonl\n", expected, StringComparison.Ordinal);
    }

    [Fact]
    public void No_arguments_prints_the_general_help_on_stderr_with_exit_2()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.Contains("Usage:\n  pwsync [command] [options]\n", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Suggest_directive_completes_command_names()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "[suggest:2]", "di");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["diagnose", "digest"], result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Suggest_directive_completes_options_and_encryption_type_names()
    {
        string[] options = CliRunner.Run(string.Empty, "[suggest:14]", "verify --nt-ha").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["--nt-hash", "--nt-hash-stdin"], options);

        string[] etypes = CliRunner.Run(string.Empty, "[suggest:20]", "kerberos --etype aes2").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["aes256-cts-hmac-sha1-96", "aes256-cts-hmac-sha384-192"], etypes);

        string[] accountTypes = CliRunner.Run(string.Empty, "[suggest:24]", "keytab --account-type co").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["computer"], accountTypes);
    }

    [Fact]
    public void A_response_file_stands_for_its_words()
    {
        string file = Path.Combine(_folder, "digest.rsp");
        File.WriteAllText(file, "--salt-hex 181a3024085fcee2f70e\n--password-stdin\n");
        CliRunner.Outcome result = CliRunner.Run("Pa$$w0rd", "digest", "@" + file);
        Assert.Equal((0, DsiBlogDigest + "\n"), (result.ExitCode, result.StandardOutput));

        CliRunner.Outcome missing = CliRunner.Run("Pa$$w0rd", "digest", "@" + Path.Combine(_folder, "none.rsp"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Response file not found", missing.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1000\0")]
    [InlineData("1000\0\0\0")]
    [InlineData("+1000")]
    [InlineData(" 1000")]
    [InlineData("1000 ")]
    [InlineData("1e3")]
    [InlineData("0x3e8")]
    [InlineData("0")]
    [InlineData("100001")]
    [InlineData("99999999999")]
    public void Integer_options_accept_only_plain_digits_within_bounds(string iterations)
    {
        // .NET's int.TryParse takes trailing NULs: "1000\0" would be a second spelling of 1000 (issue 13, item 3).
        CliRunner.Outcome result = CliRunner.Run("Pa$$w0rd", "digest", "--salt-hex", "181a3024085fcee2f70e", "--iterations", iterations, "--password-stdin");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pwsync digest: option --iterations must be an integer from 1 to 100000\n", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public void Leading_zeros_are_digits_and_give_the_same_value()
    {
        CliRunner.Outcome result = CliRunner.Run("Pa$$w0rd", "digest", "--salt-hex", "181a3024085fcee2f70e", "--iterations", "01000", "--password-stdin");
        Assert.Equal((0, DsiBlogDigest + "\n"), (result.ExitCode, result.StandardOutput));
    }

    [Fact]
    public void A_stray_word_on_a_command_without_a_password_does_not_mention_passwords()
    {
        // (sync reads a DC account's password since --dc, so the command without a password here is batch.)
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "batch", "records.jsonl");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "pwsync batch: unexpected argument #1: pwsync batch takes no plain arguments, only options starting with --\nRun 'pwsync batch --help' for usage.\n",
            result.StandardError);
        Assert.DoesNotContain("records.jsonl", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stray_word_on_a_password_command_points_to_password_stdin_without_echoing_it()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "kerberos", "--etype", "18", "Sup3rS3cret!");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "pwsync kerberos: unexpected argument #3: options start with --, and a password is never a plain argument (use --password-stdin)\nRun 'pwsync kerberos --help' for usage.\n",
            result.StandardError);
    }

    [Fact]
    public void An_unknown_option_is_named_without_its_value()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "nthash", "--passwd=Sup3rS3cret!");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("pwsync nthash: unknown option '--passwd'\nRun 'pwsync nthash --help' for usage.\n", result.StandardError);
    }

    [Theory]
    [InlineData("synk", "pwsync: unknown command 'synk'; did you mean 'sync'?\n")]
    [InlineData("dig", "pwsync: unknown command 'dig'; did you mean 'digest'?\n")]
    public void An_unknown_command_that_looks_like_one_is_named(string word, string message)
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, word);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message + "Run 'pwsync --help' for the list of commands.\n", result.StandardError);
    }

    [Theory]
    [InlineData("hunter2")]
    [InlineData("Password")]
    [InlineData("pa$$word")]
    [InlineData("correct horse")]
    public void An_unknown_command_that_may_be_a_secret_is_not_repeated(string word)
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, word);
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain(word, result.StandardError, StringComparison.Ordinal);
        Assert.StartsWith("pwsync: unknown command (not repeated:", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_or_missing_required_option_is_a_usage_error_with_the_parsers_message()
    {
        CliRunner.Outcome repeated = CliRunner.Run("x", "digest", "--salt-hex", "00", "--salt-hex", "01", "--password-stdin");
        Assert.Equal(2, repeated.ExitCode);
        Assert.Contains("pwsync digest: Option '--salt-hex' expects a single argument but 2 were provided.", repeated.StandardError, StringComparison.Ordinal);

        CliRunner.Outcome missing = CliRunner.Run(string.Empty, "diagnose");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("pwsync diagnose: Option '--user' is required.", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_naming_a_folder_says_so_with_exit_3()
    {
        CliRunner.Outcome sync = CliRunner.Run(string.Empty, "sync", "--output", _folder);
        Assert.Equal(3, sync.ExitCode);
        Assert.Equal($"pwsync sync: --output {_folder} is a folder: give a file name, for example {Path.Combine(_folder, "records.jsonl")}\n", sync.StandardError);

        CliRunner.Outcome keytab = CliRunner.Run("x", "keytab", "--principal", "a@B", "--output", _folder, "--password-stdin");
        Assert.Equal(3, keytab.ExitCode);
        Assert.Contains($"--output {_folder} is a folder", keytab.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("denied", keytab.StandardError, StringComparison.OrdinalIgnoreCase);

        CliRunner.Outcome noFolder = CliRunner.Run(string.Empty, "sync", "--output", Path.Combine(_folder, "none", "r.jsonl"));
        Assert.Equal(3, noFolder.ExitCode);
        Assert.Contains($"the folder {Path.Combine(_folder, "none")} does not exist", noFolder.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Sync_output_says_how_many_records_went_where()
    {
        string records = Path.Combine(_folder, "records.jsonl");
        CliRunner.Outcome file = CliRunner.Run(string.Empty, "sync", "--output", records);
        Assert.Equal(0, file.ExitCode);
        Assert.Equal($"pwsync sync: wrote 12 record(s) (7 sync, 5 skip) to {records}\n", file.StandardError);
        Assert.Equal(12, File.ReadAllLines(records).Length);

        CliRunner.Outcome stdout = CliRunner.Run(string.Empty, "sync", "--output", "-");
        Assert.EndsWith("pwsync sync: wrote 12 record(s) (7 sync, 5 skip) to standard output\n", stdout.StandardError, StringComparison.Ordinal);
    }
}
