using System.Globalization;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The per-user table of <c>pwsync sync --dc</c>, fed by the runner as its <see cref="ISyncOutcomeObserver"/>, so no
/// step holds every user: the rows are bounded or streamed to the report file as they are committed
/// (<see cref="UserReportRows"/>). The user's name travels with the outcome (<see cref="SyncUserOutcome.SamAccountName"/>), so nothing remembers names.
/// </summary>
/// <remarks>Called by the runner's commit stage, one outcome at a time (the observer contract): no locking needed.</remarks>
internal sealed class OutcomeReportTable : ISyncOutcomeObserver
{
    /// <summary>The rows held to size the columns, and the most listed on the console.</summary>
    public const int MaxRows = UserReportRows.MaxRows;

    private readonly UserReportRows _rows;

    /// <summary>Creates a table that keeps only its first rows (the console report).</summary>
    public OutcomeReportTable()
        : this(null, string.Empty)
    {
    }

    /// <summary>Creates a table that streams every row to <paramref name="file"/> (<c>--report FILE</c>).</summary>
    /// <param name="file">The report file's writer, or <see langword="null"/> for none.</param>
    /// <param name="fileHeading">The file's first line (the cycle's kind is only known at the end: it goes before the totals).</param>
    public OutcomeReportTable(TextWriter? file, string fileHeading) => _rows = new UserReportRows(file, fileHeading);

    /// <summary>Outcomes seen (every user the cycle processed).</summary>
    public int Users => _rows.Count;

    /// <inheritdoc />
    public void OnOutcome(SyncUserOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _rows.Add(outcome, RowOf);
    }

    /// <summary>Ends the report file: the rows still held, the cycle line and the totals. Nothing without a report file.</summary>
    /// <param name="cycle">The cycle line (kind and reason).</param>
    /// <param name="result">The cycle's report (its counts are exact).</param>
    public void CompleteFile(string cycle, SyncCycleReport result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_rows.EndFileTable() is TextWriter file)
        {
            file.WriteLine();
            file.WriteLine(cycle);
            file.WriteLine(Totals(result));
            file.Flush();
        }
    }

    /// <summary>Writes the console report: the heading, the table (or where it went) and the totals.</summary>
    /// <param name="report">Where the report goes.</param>
    /// <param name="heading">The report's first line.</param>
    /// <param name="result">The cycle's report.</param>
    /// <param name="reportPath">The report file, when the table went there.</param>
    public void Write(TextWriter report, string heading, SyncCycleReport result, string? reportPath)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(result);
        report.WriteLine(heading);
        report.WriteLine();
        _rows.WriteTo(report, reportPath, "a record for every user sent");
        report.WriteLine();
        report.WriteLine(Totals(result));
    }

    private static UserReportRows.Row RowOf(SyncUserOutcome o) => new(
        o.SamAccountName ?? o.DistinguishedName,
        o.Action == SyncAction.Export ? "sync" : "skip",
        o.Status.ToString(),
        o.Reasons.Count == 0 ? "-" : string.Join(", ", o.Reasons));

    private string Totals(SyncCycleReport r) => string.Create(
        CultureInfo.InvariantCulture,
        $"Totals: {Users} users, {r.Exported} exported, {r.Skipped} skipped, {r.Unchanged} unchanged, {r.Failed} failed");
}
