using System.Globalization;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The per-user table of <c>pwsync sync</c>, and its totals: the rows are bounded or streamed to the report file
/// (<see cref="UserReportRows"/>); the totals count every user either way.
/// </summary>
internal sealed class SyncReportTable
{
    /// <summary>The rows held to size the columns, and the most listed on the console.</summary>
    public const int MaxRows = UserReportRows.MaxRows;

    private readonly UserReportRows _rows;

    /// <summary>Creates a table that keeps only its first rows (the console report).</summary>
    public SyncReportTable()
        : this(null, string.Empty)
    {
    }

    /// <summary>Creates a table that streams every row to <paramref name="file"/> (<c>--report FILE</c>).</summary>
    /// <param name="file">The report file's writer, or <see langword="null"/> for none.</param>
    /// <param name="heading">The report's first line (<see cref="Heading"/>).</param>
    public SyncReportTable(TextWriter? file, string heading) => _rows = new UserReportRows(file, heading);

    /// <summary>Users counted.</summary>
    public int Users => _rows.Count;

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
        if (decision.Action == SyncAction.Export)
        {
            Synced++;
        }

        _rows.Add((user, decision), static s => RowOf(s.user, s.decision));
    }

    /// <summary>Ends the report file: the rows still held, the totals. Nothing without a report file.</summary>
    public void CompleteFile()
    {
        if (_rows.EndFileTable() is TextWriter file)
        {
            file.WriteLine();
            file.WriteLine(Totals());
            file.Flush();
        }
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
        _rows.WriteTo(report, reportPath, "a record for every user");
        report.WriteLine();
        report.WriteLine(Totals());
    }

    private static UserReportRows.Row RowOf(DirectoryUser user, SyncDecision decision) => new(
        user.SamAccountName ?? user.DistinguishedName,
        SyncRecordWriter.DecisionName(decision),
        decision.Status.ToString(),
        decision.Reasons.Count == 0 ? "-" : string.Join(", ", decision.Reasons));

    private string Totals() => string.Create(CultureInfo.InvariantCulture, $"Totals: {Users} users, {Synced} sync, {Users - Synced} skip");
}
