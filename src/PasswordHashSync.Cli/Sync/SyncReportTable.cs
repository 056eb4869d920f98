using System.Globalization;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The per-user table of <c>pwsync sync</c>, and its totals. Without a report file it keeps the first
/// <see cref="MaxRows"/> rows and counts the rest, so a run of a million users does not hold a million rows. With one
/// (<c>--report FILE</c>) every row streams to the file: the first <see cref="MaxRows"/> are held only to size the
/// columns, then written, and every later row is written as it comes (a longer name pushes its own line to the right).
/// The totals count every user either way.
/// </summary>
internal sealed class SyncReportTable
{
    /// <summary>The rows held to size the columns, and the most listed on the console.</summary>
    public const int MaxRows = 1000;

    private readonly List<Row> _rows = [];
    private readonly TextWriter? _file;
    private readonly string _heading;
    private int _userWidth;
    private int _statusWidth;
    private bool _fileStarted;

    /// <summary>Creates a table that keeps only its first rows (the console report).</summary>
    public SyncReportTable()
        : this(null, string.Empty)
    {
    }

    /// <summary>Creates a table that streams every row to <paramref name="file"/> (<c>--report FILE</c>).</summary>
    /// <param name="file">The report file's writer, or <see langword="null"/> for none.</param>
    /// <param name="heading">The report's first line (<see cref="Heading"/>).</param>
    public SyncReportTable(TextWriter? file, string heading)
    {
        _file = file;
        _heading = heading;
    }

    /// <summary>Users counted.</summary>
    public int Users { get; private set; }

    /// <summary>Users whose password is sent.</summary>
    public int Synced { get; private set; }

    /// <summary>The report's first line.</summary>
    /// <param name="source">How the input is named.</param>
    /// <param name="managedDomain">Whether the managed domain is enabled.</param>
    /// <returns>The line.</returns>
    public static string Heading(string source, bool managedDomain) =>
        $"Password hash sync over {source}{(managedDomain ? " (managed domain enabled)" : string.Empty)}";

    /// <summary>Counts one user and keeps its row while the table has room (or writes it to the report file).</summary>
    /// <param name="user">The user.</param>
    /// <param name="decision">Its decision.</param>
    public void Add(DirectoryUser user, SyncDecision decision)
    {
        Users++;
        if (decision.Action == SyncAction.Export)
        {
            Synced++;
        }

        if (_rows.Count < MaxRows && !_fileStarted)
        {
            _rows.Add(RowOf(user, decision));
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

        WriteRow(_file, RowOf(user, decision));
    }

    /// <summary>Ends the report file: the rows still held, the totals. Nothing without a report file.</summary>
    public void CompleteFile()
    {
        if (_file is null)
        {
            return;
        }

        if (!_fileStarted)
        {
            StartFile();
        }

        _file.WriteLine();
        _file.WriteLine(Totals());
        _file.Flush();
    }

    /// <summary>Writes the console report: the heading, the table (or where it went) and the totals.</summary>
    /// <param name="report">Where the report goes.</param>
    /// <param name="source">How the input is named.</param>
    /// <param name="managedDomain">Whether the managed domain is enabled.</param>
    /// <param name="reportPath">The report file, when the table went there.</param>
    public void Write(TextWriter report, string source, bool managedDomain, string? reportPath = null)
    {
        report.WriteLine(Heading(source, managedDomain));
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
                    $"... {Users - _rows.Count} more users not listed (the table lists the first {MaxRows}; --report FILE lists every user, --output has a record for every user)"));
            }
        }

        report.WriteLine();
        report.WriteLine(Totals());
    }

    private static Row RowOf(DirectoryUser user, SyncDecision decision) => new(
        user.SamAccountName ?? user.DistinguishedName,
        SyncRecordWriter.DecisionName(decision),
        decision.Status.ToString(),
        decision.Reasons.Count == 0 ? "-" : string.Join(", ", decision.Reasons));

    private string Totals() => string.Create(CultureInfo.InvariantCulture, $"Totals: {Users} users, {Synced} sync, {Users - Synced} skip");

    private void StartFile()
    {
        _fileStarted = true;
        SizeColumns();
        _file!.WriteLine(_heading);
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
