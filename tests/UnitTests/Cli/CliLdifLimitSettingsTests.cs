using System.Text;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// The settings file's <c>ldif</c> section (issue 13, item 4): the LDIF reader limits of <c>pwsync sync</c> and
/// <c>pwsync diagnose</c>, raised or lowered by the administrator, validated, and enforced by every read (the
/// two-pass pipeline's first pass included).
/// </summary>
public sealed class CliLdifLimitSettingsTests : IDisposable
{
    // One more distinct attribute than LdifReaderOptions.DefaultMaxAttributesPerRecord (16,384): small on disk.
    private const int Attributes = 16_385;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "phs-cli-ldif-limits-" + Guid.NewGuid().ToString("N"));
    private readonly string _wide;

    public CliLdifLimitSettingsTests()
    {
        System.IO.Directory.CreateDirectory(_folder);
        _wide = Path.Combine(_folder, "wide.ldif");
        var text = new StringBuilder("dn: CN=wide,DC=phs,DC=example,DC=test\nobjectClass: user\nsAMAccountName: wide\n");
        for (int i = 0; i < Attributes; i++)
        {
            text.Append("extra").Append(i).Append(": x\n");
        }

        File.WriteAllText(_wide, text.ToString());
    }

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_record_over_the_default_limit_exits_3_naming_the_limit()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--input", _wide);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"{_wide} is not a valid LDIF export", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("has more than the limit of 16384 attributes (LdifReaderOptions.MaxAttributesPerRecord)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_input_passes_with_the_limit_raised_in_the_settings()
    {
        string settings = Settings("""{ "ldif": { "maxAttributesPerRecord": 20000 } }""");
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--input", _wide, "--settings", settings);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("Totals: 1 users", result.StandardOutput, StringComparison.Ordinal);

        // diagnose reads with the same limits.
        result = CliRunner.Run(string.Empty, "diagnose", "--input", _wide, "--settings", settings, "--user", "wide");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(3, CliRunner.Run(string.Empty, "diagnose", "--input", _wide, "--user", "wide").ExitCode);
    }

    [Fact]
    public void A_raised_limit_is_just_enough_one_below_refuses()
    {
        // 3 attributes before the loop plus the extras: exactly the record's count passes, one less refuses.
        int count = Attributes + 2;
        Assert.Equal(0, CliRunner.Run(string.Empty, "sync", "--input", _wide, "--settings", Settings($$"""{ "ldif": { "maxAttributesPerRecord": {{count}} } }""")).ExitCode);
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--input", _wide, "--settings", Settings($$"""{ "ldif": { "maxAttributesPerRecord": {{count - 1}} } }"""));
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"limit of {count - 1} attributes", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maxLineLength", 40, "(LdifReaderOptions.MaxLineLength)")]
    [InlineData("maxValueSize", 8, "(LdifReaderOptions.MaxValueSize)")]
    [InlineData("maxRecordSize", 200, "(LdifReaderOptions.MaxRecordSize)")]
    [InlineData("maxValuesPerAttribute", 1, "(LdifReaderOptions.MaxValuesPerAttribute)")]
    [InlineData("maxAttributesPerRecord", 3, "(LdifReaderOptions.MaxAttributesPerRecord)")]
    public void Lowering_a_limit_refuses_the_bundled_sample(string name, int value, string named)
    {
        // The bundled sample passes with the defaults; each lowered limit refuses it, with that limit named.
        Assert.Equal(0, CliRunner.Run(string.Empty, "sync").ExitCode);
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--settings", Settings($$"""{ "ldif": { "{{name}}": {{value}} } }"""));
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("the bundled sample is not a valid LDIF export", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(named, result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "ldif": { "maxLineLength": 0 } }""", "ldif.maxLineLength is 0; an LDIF limit must be between 1 and 1073741791")]
    [InlineData("""{ "ldif": { "maxValueSize": -1 } }""", "ldif.maxValueSize is -1; an LDIF limit must be between 1 and 2147483591")]
    [InlineData("""{ "ldif": { "maxRecordSize": 1099511627777 } }""", "ldif.maxRecordSize is 1099511627777; an LDIF limit must be between 1 and 1099511627776")]
    [InlineData("""{ "ldif": { "maxValuesPerAttribute": 2147483592 } }""", "ldif.maxValuesPerAttribute is 2147483592")]
    [InlineData("""{ "ldif": { "maxAttributesPerRecord": 0 } }""", "ldif.maxAttributesPerRecord is 0")]
    [InlineData("""{ "ldif": { "maxLineLenght": 100 } }""", "maxLineLenght")]
    [InlineData("""{ "ldif": { "maxLineLength": "lots" } }""", "is not valid")]
    [InlineData("""{ "ldif": { "maxLineLength": 99999999999999999999999 } }""", "is not valid")]
    public void Bad_values_are_a_settings_error_with_exit_3(string json, string message)
    {
        string settings = Settings(json);
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--settings", settings);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"settings file {settings}", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public void The_section_sits_beside_the_engine_settings_which_stay_strict()
    {
        string settings = Settings("""
            // Comments and trailing commas, as for the rest of the file.
            { "managedDomainEnabled": true, "ldif": { "maxLineLength": 1000000, }, "digestIterationCount": 1000, }
            """);
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--settings", settings);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("(managed domain enabled)", result.StandardOutput, StringComparison.Ordinal);

        result = CliRunner.Run(string.Empty, "sync", "--settings", Settings("""{ "ldif": {}, "managedDomainEnabld": true }"""));
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("managedDomainEnabld", result.StandardError, StringComparison.Ordinal);
    }

    private string Settings(string json)
    {
        string path = Path.Combine(_folder, "settings-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }
}
