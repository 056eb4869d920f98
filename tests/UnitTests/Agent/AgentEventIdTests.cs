using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using PasswordHashSync.Cli.Agent;
using PasswordHashSync.Sync;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Agent;

/// <summary>
/// Every event of the engine (SyncLog) and the agent (AgentLog) has a stable ID: enumerated here from the
/// [LoggerMessage] declarations and compared, ID by ID, with the table of docs/agent.md (ID, level, name), so an event
/// added, renumbered, renamed or re-levelled without the documentation fails; and the failures the issue names
/// (directory unreachable, access denied, export failed, state corrupted, user skipped) keep their numbers.
/// </summary>
public sealed partial class AgentEventIdTests
{
    [Fact]
    public void EveryEvent_IsDocumented_WithItsIdLevelAndName_AndNoIdIsUsedTwice()
    {
        List<(int Id, string Name, LogLevel Level)> declared = [.. Declared(typeof(SyncLog)), .. Declared(typeof(AgentLog))];
        Assert.True(declared.Count >= 25, $"only {declared.Count} events found");
        Assert.Equal(declared.Count, declared.Select(e => e.Id).Distinct().Count());
        Assert.Equal(declared.Count, declared.Select(e => e.Name).Distinct().Count());
        Assert.All(Declared(typeof(SyncLog)), e => Assert.InRange(e.Id, 1000, 1099));
        Assert.All(Declared(typeof(AgentLog)), e => Assert.InRange(e.Id, 2000, 2099));
        Assert.DoesNotContain(declared, e => e.Id is 2002 or 2003); // retired, never reused

        string docs = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "agent.md"));
        var documented = EventRow().Matches(docs)
            .Select(m => (Id: int.Parse(m.Groups["id"].Value, CultureInfo.InvariantCulture), Name: m.Groups["name"].Value, Level: Enum.Parse<LogLevel>(m.Groups["level"].Value)))
            .ToList();
        Assert.Equal(declared.OrderBy(e => e.Id), documented.OrderBy(e => e.Id));
    }

    [Fact]
    public void TheIssuesFailures_KeepTheirNumbers()
    {
        Dictionary<string, int> ids = Declared(typeof(SyncLog)).Concat(Declared(typeof(AgentLog))).ToDictionary(e => e.Name, e => e.Id);

        Assert.Equal(1010, ids["DirectoryUnreachable"]);
        Assert.Equal(1011, ids["ReplicationAccessDenied"]);
        Assert.Equal(1012, ids["ExportFailed"]);
        Assert.Equal(1014, ids["StateCorrupted"]);
        Assert.Equal(1020, ids["UserSkipped"]);
        Assert.Equal(1002, ids["CycleFailed"]);
        Assert.Equal(2005, ids["OutboxWriteFailed"]);
        Assert.Equal(2006, ids["AgentFatal"]);
    }

    [Fact]
    public void TheIdConstants_AreTheDeclaredIds()
    {
        foreach (Type type in new[] { typeof(SyncLog), typeof(AgentLog) })
        {
            int[] constants = [.. type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.Name.EndsWith("Id", StringComparison.Ordinal)).Select(f => (int)f.GetRawConstantValue()!)];
            Assert.Equal(Declared(type).Select(e => e.Id).Order(), constants.Order());
        }
    }

    private static IEnumerable<(int Id, string Name, LogLevel Level)> Declared(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => (a.EventId, a.EventName!, a.Level));

    // | 1011 | Error | ReplicationAccessDenied | ... |
    [GeneratedRegex(@"^\| (?<id>[12]0\d\d) \| (?<level>Trace|Debug|Information|Warning|Error|Critical) \| (?<name>[A-Za-z]+) \|", RegexOptions.Multiline)]
    private static partial Regex EventRow();
}
