using PasswordHashSync.Cli;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// <c>pwsync sync --dc</c>'s per-user table through the runner's outcome observer (the engine part, over an in-memory
/// directory): every user reaches the report file by name, the console lists the first rows, the totals are exact.
/// </summary>
public class CliDirectorySyncReportTests
{
    private const int Users = OutcomeReportTable.MaxRows + 37;

    [Fact]
    public async Task Every_user_streams_to_the_report_file_and_the_console_lists_the_first_rows()
    {
        var directory = new SyncMemoryDirectory();
        for (int i = 0; i < Users; i++)
        {
            directory.Put(User("user" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)));
        }

        using var file = new StringWriter();
        var table = new OutcomeReportTable(file, "Password hash sync from dc (corp.example.test)");
        var context = new CliContext(new MemoryStream(), new MemoryStream(), new StringWriter(), inputIsTerminal: false, errorIsTerminal: false);
        (int code, SyncCycleReport? report) = await DirectorySyncExecutor.RunEngineAsync(
            directory, null, new PasswordHashSyncSettings { DigestIterationCount = 1 }, null, context, table);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.NotNull(report);
        Assert.Equal(SyncCycleReport.MaxOutcomes, report.Outcomes.Count);
        Assert.Equal(Users - SyncCycleReport.MaxOutcomes, report.OmittedOutcomes);
        table.CompleteFile("Full cycle", report);
        string[] rows = [.. file.ToString().Split('\n').Where(l => l.StartsWith("user", StringComparison.Ordinal))];
        Assert.Equal(Users, rows.Length);
        Assert.Equal(Enumerable.Range(0, Users).Select(i => "user" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r.Split(' ')[0]));
        Assert.All(rows, r => Assert.Contains("  sync      Success", r, StringComparison.Ordinal));
        Assert.Contains($"Totals: {Users} users, {Users} exported, 0 skipped, 0 unchanged, 0 failed", file.ToString(), StringComparison.Ordinal);

        var console = new OutcomeReportTable();
        foreach (SyncUserOutcome outcome in report.Outcomes)
        {
            console.OnOutcome(outcome);
        }

        using var screen = new StringWriter();
        console.Write(screen, "heading", report, null);
        Assert.Equal(OutcomeReportTable.MaxRows, screen.ToString().Split('\n').Count(l => l.StartsWith("user", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_console_table_counts_the_users_it_does_not_list()
    {
        var table = new OutcomeReportTable();
        var report = new SyncCycleReport(SyncCycleKind.Full, T0);
        for (int i = 0; i < Users; i++)
        {
            table.OnOutcome(new SyncUserOutcome("a" + i, "CN=x" + i, SyncAction.Skip, PasswordSyncStatus.OutOfScope, [SyncReason.AccountDisabled], T0));
        }

        using var screen = new StringWriter();
        table.Write(screen, "heading", report, null);

        Assert.Equal(OutcomeReportTable.MaxRows, screen.ToString().Split('\n').Count(l => l.StartsWith("CN=x", StringComparison.Ordinal)));
        Assert.Contains($"... {Users - OutcomeReportTable.MaxRows} more users not listed", screen.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Totals: {Users} users", screen.ToString(), StringComparison.Ordinal);
    }
}
