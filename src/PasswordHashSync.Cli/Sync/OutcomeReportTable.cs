using System.Globalization;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The per-user table of <c>pwsync sync --dc</c>, fed by the runner as its <see cref="ISyncOutcomeObserver"/>, so no
/// step holds every user: without a report file it keeps the first <see cref="MaxRows"/> rows for the console and
/// counts the rest; with one (<c>--report FILE</c>) the first <see cref="MaxRows"/> rows are held only to size the
/// columns, then every row streams to the file as it is committed (a longer name pushes its own line to the right).
/// The user's name travels with the outcome (<see cref="SyncUserOutcome.SamAccountName"/>), so nothing remembers names.
/// </summary>
/// <remarks>Called by the runner's commit stage, one outcome at a time (the observer contract): no locking needed.</remarks>
internal sealed class OutcomeReportTable : ISyncOutcomeObserver
{
    /// <summary>The rows held to size the columns, and the most listed on the console.</summary>
    public const int MaxRows = 1000;

    private readonly List<Row> _rows = [];
    private readonly TextWriter? _file;
    private int _userWidth;
    private int _statusWidth;
    private bool _fileStarted;

    private readonly string _fileHeading;

    /// <summary>Creates a table that keeps only its first rows (the console report).</summary>
    public OutcomeReportTable()
        : this(null, string.Empty)
    {
    }

    /// <summary>Creates a table that streams every row to <paramref name="file"/> (<c>--report FILE</c>).</summary>
    /// <param name="file">The report file's writer, or <see langword="null"/> for none.</param>
    /// <param name="fileHeading">The file's first line (the cycle's kind is only known at the end: it goes before the totals).</param>
    public OutcomeReportTable(TextWriter? file, string fileHeading)
    {
        _file = file;
        _fileHeading = fileHeading;
    }

    /// <summary>Outcomes seen (every user the cycle processed).</summary>
    public int Users { get; private set; }

    /// <inheritdoc />
    public void OnOutcome(SyncUserOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Users++;
        if (_rows.Count < MaxRows && !_fileStarted)
        {
            _rows.Add(RowOf(outcome));
            return;
        }

        if (_file is null)
        {
            return;
        }

        if (!_fileStarted)
        {
            StartFile();
        }

        WriteRow(_file, RowOf(outcome));
    }

    /// <summary>Ends the report file: the rows still held, the cycle line and the totals. Nothing without a report file.</summary>
    /// <param name="cycle">The cycle line (kind and reason).</param>
    /// <param name="result">The cycle's report (its counts are exact).</param>
    public void CompleteFile(string cycle, SyncCycleReport result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_file is null)
        {
            return;
        }

        if (!_fileStarted)
        {
            StartFile();
        }

        _file.WriteLine();
        _file.WriteLine(cycle);
        _file.WriteLine(Totals(result));
        _file.Flush();
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
        if (reportPath is not null)
        {
            report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The per-user table ({Users} users) is in {reportPath}"));
        }
        else
        {
            SizeColumns();
            WriteHeader(report);
            foreach (Row row in _rows)
            {
                WriteRow(report, row);
            }

            if (Users > _rows.Count)
            {
                report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"... {Users - _rows.Count} more users not listed (the table lists the first {MaxRows}; --report FILE lists every user, --output has a record for every user sent)"));
            }
        }

        report.WriteLine();
        report.WriteLine(Totals(result));
    }

    private static Row RowOf(SyncUserOutcome o) => new(
        o.SamAccountName ?? o.DistinguishedName,
        o.Action == SyncAction.Export ? "sync" : "skip",
        o.Status.ToString(),
        o.Reasons.Count == 0 ? "-" : string.Join(", ", o.Reasons));

    private string Totals(SyncCycleReport r) => string.Create(
        CultureInfo.InvariantCulture,
        $"Totals: {Users} users, {r.Exported} exported, {r.Skipped} skipped, {r.Unchanged} unchanged, {r.Failed} failed");

    private void StartFile()
    {
        _fileStarted = true;
        SizeColumns();
        _file!.WriteLine(_fileHeading);
        _file.WriteLine();
        WriteHeader(_file);
        foreach (Row row in _rows)
        {
            WriteRow(_file, row);
        }

        _rows.Clear();
        _rows.TrimExcess();
    }

    private void SizeColumns()
    {
        _userWidth = Math.Max(4, _rows.Count == 0 ? 4 : _rows.Max(l => l.User.Length));
        _statusWidth = Math.Max(6, _rows.Count == 0 ? 6 : _rows.Max(l => l.Status.Length));
    }

    private void WriteHeader(TextWriter writer) =>
        writer.WriteLine($"{"USER".PadRight(_userWidth)}  DECISION  {"STATUS".PadRight(_statusWidth)}  REASONS");

    private void WriteRow(TextWriter writer, Row row) =>
        writer.WriteLine($"{row.User.PadRight(_userWidth)}  {row.Decision,-8}  {row.Status.PadRight(_statusWidth)}  {row.Reasons}");

    private readonly record struct Row(string User, string Decision, string Status, string Reasons);
}
