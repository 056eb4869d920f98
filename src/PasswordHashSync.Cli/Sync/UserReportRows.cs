using System.Globalization;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The per-user rows of a sync report, bounded: without a report file the first <see cref="MaxRows"/> rows are kept
/// for the console and the rest only counted, so a run of a million users does not hold a million rows; with one
/// (<c>--report FILE</c>) every row streams to the file, the first <see cref="MaxRows"/> held only to size the columns
/// (a longer name later pushes its own line to the right). Shared by <see cref="SyncReportTable"/> (<c>pwsync sync
/// --input</c>) and <see cref="OutcomeReportTable"/> (<c>pwsync sync --dc</c>), which differ only in where a row
/// comes from and in their totals.
/// </summary>
/// <param name="file">The report file's writer, or <see langword="null"/> for the console table only.</param>
/// <param name="fileHeading">The report file's first line.</param>
internal sealed class UserReportRows(TextWriter? file, string fileHeading)
{
    /// <summary>The rows held to size the columns, and the most listed on the console.</summary>
    public const int MaxRows = 1000;

    private readonly List<Row> _rows = [];
    private int _userWidth;
    private int _statusWidth;
    private bool _fileStarted;

    /// <summary>Rows added (every user).</summary>
    public int Count { get; private set; }

    /// <summary>Adds one user's row; the row is made only when it is kept or written.</summary>
    /// <typeparam name="T">What the row is made from.</typeparam>
    /// <param name="source">What the row is made from.</param>
    /// <param name="rowOf">Makes the row (a static lambda: no allocation for a row that is only counted).</param>
    public void Add<T>(T source, Func<T, Row> rowOf)
    {
        Count++;
        if (_rows.Count < MaxRows && !_fileStarted)
        {
            _rows.Add(rowOf(source));
            return;
        }

        if (file is null)
        {
            return;
        }

        if (!_fileStarted)
        {
            StartFile();
        }

        WriteRow(file, rowOf(source));
    }

    /// <summary>Ends the report file's table (the rows still held) and gives its writer for what follows; none without a file.</summary>
    /// <returns>The report file's writer, or <see langword="null"/>.</returns>
    public TextWriter? EndFileTable()
    {
        if (file is not null && !_fileStarted)
        {
            StartFile();
        }

        return file;
    }

    /// <summary>Writes the console part: the table with a line for the users not listed, or where the table went.</summary>
    /// <param name="report">Where the report goes.</param>
    /// <param name="reportPath">The report file, when the table went there.</param>
    /// <param name="recordsNote">What <c>--output</c> holds, for the "not listed" line.</param>
    public void WriteTo(TextWriter report, string? reportPath, string recordsNote)
    {
        if (reportPath is not null)
        {
            report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The per-user table ({Count} users) is in {reportPath}"));
            return;
        }

        SizeColumns();
        WriteHeader(report);
        foreach (Row row in _rows)
        {
            WriteRow(report, row);
        }

        if (Count > _rows.Count)
        {
            report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"... {Count - _rows.Count} more users not listed (the table lists the first {MaxRows}; --report FILE lists every user, --output has {recordsNote})"));
        }
    }

    private void StartFile()
    {
        _fileStarted = true;
        SizeColumns();
        file!.WriteLine(fileHeading);
        file.WriteLine();
        WriteHeader(file);
        foreach (Row row in _rows)
        {
            WriteRow(file, row);
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

    /// <summary>One user's row.</summary>
    /// <param name="User">The account name (or the DN).</param>
    /// <param name="Decision">sync or skip.</param>
    /// <param name="Status">The status.</param>
    /// <param name="Reasons">The reasons, or <c>-</c>.</param>
    public readonly record struct Row(string User, string Decision, string Status, string Reasons);
}
