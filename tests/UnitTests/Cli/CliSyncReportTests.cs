using System.Text.RegularExpressions;
using PasswordHashSync.Benchmarks;
using PasswordHashSync.Cli.Output;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// <c>pwsync sync --report FILE</c>: every user's row streams to the file (owner-only, atomic), the console keeps the
/// heading and the totals; without it the console table lists the first 1000 users and says how many more there were.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class CliSyncReportTests : IDisposable
{
    private const int Users = 1234;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "phs-cli-report-" + Guid.NewGuid().ToString("N"));
    private readonly string _ldif;
    private readonly string _settings;

    public CliSyncReportTests()
    {
        System.IO.Directory.CreateDirectory(_folder);
        _ldif = Path.Combine(_folder, "export.ldif");
        _settings = Path.Combine(_folder, "settings.json");
        using (var text = new StreamWriter(_ldif))
        {
            string sample = Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif");
            SampleDirectoryGenerator.Write(text, SampleDirectoryGenerator.ReadTemplates(sample), Users, withSupplementalCredentials: false, repeatEvery: 0, seed: 3);
        }

        File.WriteAllText(_settings, "{\"digestIterationCount\": 1}");
    }

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Without_report_the_console_lists_the_first_1000_users_and_counts_the_rest()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--input", _ldif, "--settings", _settings);
        Assert.Equal(0, result.ExitCode);
        string[] lines = result.StandardOutput.Split('\n');
        Assert.Equal(1000, lines.Count(IsRow));
        Assert.Contains($"... {Users - 1000} more users not listed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Totals: {Users} users, ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void With_report_the_file_has_every_users_row_and_the_totals_and_the_console_only_the_summary()
    {
        string report = Path.Combine(_folder, "report.txt");
        CliRunner.Outcome console = CliRunner.Run(string.Empty, "sync", "--input", _ldif, "--settings", _settings);
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--input", _ldif, "--settings", _settings, "--report", report);
        Assert.Equal(0, result.ExitCode);

        string file = File.ReadAllText(report);
        string[] fileLines = file.Split('\n');
        Assert.StartsWith($"Password hash sync over {_ldif}\n\nUSER ", file, StringComparison.Ordinal);
        Assert.Equal(Users, fileLines.Count(IsRow));
        string totals = TotalsOf(console.StandardOutput);
        Assert.EndsWith("\n\n" + totals + "\n", file, StringComparison.Ordinal);
        Assert.Equal(SecretFileWriter.Mode, File.GetUnixFileMode(report));

        // The file's first 1000 rows are the console's rows, same columns; the console now names the file instead.
        string[] consoleRows = [.. console.StandardOutput.Split('\n').Where(IsRow)];
        Assert.Equal(consoleRows, fileLines.Where(IsRow).Take(1000));
        Assert.DoesNotContain(result.StandardOutput.Split('\n'), IsRow);
        Assert.Contains($"The per-user table ({Users} users) is in {report}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(totals, TotalsOf(result.StandardOutput));
    }

    [Fact]
    public void A_small_run_writes_the_same_table_to_the_file_as_to_the_console()
    {
        string report = Path.Combine(_folder, "sample-report.txt");
        CliRunner.Outcome console = CliRunner.Run(string.Empty, "sync");
        Assert.Equal(0, CliRunner.Run(string.Empty, "sync", "--report", report).ExitCode);
        Assert.Equal(console.StandardOutput, File.ReadAllText(report));
    }

    [Fact]
    public void With_output_to_standard_output_the_report_file_is_still_written_and_the_summary_goes_to_stderr()
    {
        string report = Path.Combine(_folder, "report.txt");
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--input", _ldif, "--settings", _settings, "--output", "-", "--report", report);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Users, result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(Users, File.ReadAllText(report).Split('\n').Count(IsRow));
        Assert.Contains($"Totals: {Users} users, ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_run_keeps_the_previous_report_file()
    {
        string report = Path.Combine(_folder, "report.txt");
        File.WriteAllText(report, "previous\n");
        string broken = Path.Combine(_folder, "broken.ldif");
        File.WriteAllText(broken, File.ReadAllText(_ldif) + "dn: CN=broken\nobjectGUID: not-a-guid\n\n");
        Assert.Equal(3, CliRunner.Run(string.Empty, "sync", "--input", broken, "--settings", _settings, "--report", report).ExitCode);
        Assert.Equal("previous\n", File.ReadAllText(report));
        Assert.Empty(System.IO.Directory.GetFiles(_folder, ".report.txt.*"));
    }

    [Fact]
    public void A_report_path_that_is_dash_the_records_file_or_a_symbolic_link_is_refused()
    {
        string records = Path.Combine(_folder, "records.jsonl");
        string link = Path.Combine(_folder, "link.txt");
        File.CreateSymbolicLink(link, Path.Combine(_folder, "elsewhere.txt"));
        Assert.Equal(2, CliRunner.Run(string.Empty, "sync", "--report", "-").ExitCode);
        Assert.Equal(2, CliRunner.Run(string.Empty, "sync", "--output", records, "--report", records).ExitCode);
        Assert.Equal(3, CliRunner.Run(string.Empty, "sync", "--report", link).ExitCode);
        Assert.False(File.Exists(Path.Combine(_folder, "elsewhere.txt")));
        Assert.False(File.Exists(records));
    }

    private static string TotalsOf(string text) => text.Split('\n').Single(l => l.StartsWith("Totals: ", StringComparison.Ordinal));

    private static bool IsRow(string line) => RowPattern().IsMatch(line);

    [GeneratedRegex(@"^\S.*  (sync|skip)  +\S+  +\S")]
    private static partial Regex RowPattern();
}
