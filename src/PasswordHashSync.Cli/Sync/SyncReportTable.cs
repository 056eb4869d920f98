using System.Globalization;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The per-user table of <c>pwsync sync</c>, bounded: it keeps the first <see cref="MaxRows"/> rows (enough to size its
/// columns as before) and counts the rest, so a run of a million users does not hold a million rows. The totals count
/// every user.
/// </summary>
internal sealed class SyncReportTable
{
    /// <summary>The most rows listed; a larger directory lists these and says how many more there were.</summary>
    public const int MaxRows = 1000;

    private readonly List<Row> _rows = [];

    /// <summary>Users counted.</summary>
    public int Users { get; private set; }

    /// <summary>Users whose password is sent.</summary>
    public int Synced { get; private set; }

    /// <summary>Counts one user and keeps its row while the table has room.</summary>
    /// <param name="user">The user.</param>
    /// <param name="decision">Its decision.</param>
    public void Add(DirectoryUser user, SyncDecision decision)
    {
        Users++;
        string name = SyncRecordWriter.DecisionName(decision);
        if (decision.Action == SyncAction.Export)
        {
            Synced++;
        }

        if (_rows.Count < MaxRows)
        {
            _rows.Add(new Row(
                user.SamAccountName ?? user.DistinguishedName,
                name,
                decision.Status.ToString(),
                decision.Reasons.Count == 0 ? "-" : string.Join(", ", decision.Reasons)));
        }
    }

    /// <summary>Writes the heading, the table and the totals.</summary>
    /// <param name="report">Where the report goes.</param>
    /// <param name="source">How the input is named.</param>
    /// <param name="managedDomain">Whether the managed domain is enabled.</param>
    public void Write(TextWriter report, string source, bool managedDomain)
    {
        int userWidth = Math.Max(4, _rows.Count == 0 ? 4 : _rows.Max(l => l.User.Length));
        int statusWidth = Math.Max(6, _rows.Count == 0 ? 6 : _rows.Max(l => l.Status.Length));
        report.WriteLine($"Password hash sync over {source}{(managedDomain ? " (managed domain enabled)" : string.Empty)}");
        report.WriteLine();
        report.WriteLine($"{"USER".PadRight(userWidth)}  DECISION  {"STATUS".PadRight(statusWidth)}  REASONS");
        foreach (Row line in _rows)
        {
            report.WriteLine($"{line.User.PadRight(userWidth)}  {line.Decision,-8}  {line.Status.PadRight(statusWidth)}  {line.Reasons}");
        }

        if (Users > _rows.Count)
        {
            report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"... {Users - _rows.Count} more users not listed (the table lists the first {MaxRows}; --output has a record for every user)"));
        }

        report.WriteLine();
        report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Totals: {Users} users, {Synced} sync, {Users - Synced} skip"));
    }

    private readonly record struct Row(string User, string Decision, string Status, string Reasons);
}
