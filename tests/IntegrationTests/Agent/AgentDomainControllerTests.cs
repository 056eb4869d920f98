using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PasswordHashSync.Directory;
using PasswordHashSync.IntegrationTests.Replication;

namespace PasswordHashSync.IntegrationTests.Agent;

/// <summary>
/// The real <c>pwsync agent</c> with <c>Agent:Source:Kind = DomainController</c> against the live Samba DC of the
/// replication tests (the shared fixture; this class changes only mutable.delta's password): <c>--once</c> sends every
/// in-scope user, a password changed with <c>samba-tool user setpassword</c> gives a segment with that user's record
/// and no other, <c>--full-sync</c> sends every in-scope user again; an account without the replication rights makes
/// the cycle fail with event 1011 naming the missing right, and the state stays as it was. Every record's digest is
/// checked against the NT hash Samba stores (PBKDF2 recomputed here, not by the library).
/// </summary>
[Collection(ReplicationDomainControllerGroup.Name)]
public sealed class AgentDomainControllerTests(ReplicationDomainController dc) : IDisposable
{
    private const string ChangedUser = "mutable.delta";
    private readonly string _root = System.IO.Directory.CreateTempSubdirectory("phs-agent-dc-").FullName;

    private string ConfigPath => Path.Combine(_root, "agent.json");

    private string StateFile => Path.Combine(_root, "state", "state.json");

    private string OutboxPath => Path.Combine(_root, "outbox");

    public void Dispose() => System.IO.Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Once_SendsEveryInScopeUser_ThenOnlyTheChangedOne_AndFullSync_SendsEveryoneAgain()
    {
        WriteConfig(ReplicationDomainController.Replicator);
        Dictionary<string, DirectoryUser> inScope = InScopeUsers();
        Assert.Contains(ChangedUser, inScope.Keys);

        // The initial cycle is a full sync: every in-scope user, each with the digest of the NT hash the DC stores.
        await RunOnceAsync();
        List<Record> initial = ReadRecords(Segments());
        AssertEveryInScopeUserOnce(inScope, initial);

        // One password changes on the DC; the next cycle's segment holds that user's record and no other.
        string[] before = Segments();
        string newPassword = "Mutable-Delta-" + Guid.NewGuid().ToString("N")[..8];
        dc.SetPassword(ChangedUser, newPassword);
        await RunOnceAsync();
        string[] added = [.. Segments().Except(before)];
        Record changed = Assert.Single(ReadRecords(added));
        Assert.Equal(ChangedUser, changed.SamAccountName, ignoreCase: true);
        AssertDigestIs(changed, AgentWorkspace.NtHash(newPassword));

        // --full-sync: every in-scope user again, the changed one with its new password.
        before = Segments();
        await RunOnceAsync("--full-sync");
        inScope = InScopeUsers();
        AssertEveryInScopeUserOnce(inScope, ReadRecords([.. Segments().Except(before)]));
        Assert.Equal(AgentWorkspace.NtHash(newPassword), inScope[ChangedUser].NtHash.ToArray());

        (int code, string status) = await AgentProcess.RunAsync("agent", "status", "--config", ConfigPath);
        Assert.True(code == 0, status);
        Assert.Contains("(Full)", status, StringComparison.Ordinal);
        Assert.Contains("Full sync:        not requested", status, StringComparison.Ordinal);
        Assert.Contains("Retry queue:      0 user(s)", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAccountWithoutTheRights_FailsTheCycleWithEvent1011NamingTheRight_AndLeavesTheStateAsItWas()
    {
        WriteConfig(ReplicationDomainController.Replicator);
        await RunOnceAsync();
        string[] segments = Segments();
        Assert.NotEmpty(segments);
        string stateBefore = ReadStatePayload();

        (string Name, string Password, string Missing)[] refused =
        [
            (ReplicationDomainController.GetChangesOnly.Name, ReplicationDomainController.GetChangesOnly.Password, "lacks \"Replicating Directory Changes All\""),
            (ReplicationDomainController.PlainUser.Name, ReplicationDomainController.PlainUser.Password, "lacks \"Replicating Directory Changes\" (the DC refuses even a request without secrets)"),
        ];
        for (int i = 0; i < refused.Length; i++)
        {
            (string name, string password, string missing) = refused[i];
            WriteConfig((name, password));
            (int code, string output) = await AgentProcess.RunAsync("agent", "--config", ConfigPath, "--once");

            Assert.True(code == 6, output);
            string line = Assert.Single(output.Split('\n'), l => l.Contains("[1011]", StringComparison.Ordinal));
            Assert.Contains(missing, line, StringComparison.Ordinal);
            Assert.Contains(ReplicationDomainController.NetBiosDomain + "\\" + name, line, StringComparison.Ordinal);
            Assert.Contains("Grant the connector account 'Replicating Directory Changes' and 'Replicating Directory Changes All'", line, StringComparison.Ordinal);
            Assert.DoesNotContain(password, output, StringComparison.Ordinal);

            // Unharmed: watermark, users and retry queue as the last good cycle left them; only the error was added.
            string state = ReadStatePayload();
            Assert.Equal(WithoutErrors(stateBefore), WithoutErrors(state));
            JsonArray errors = Errors(state);
            Assert.Equal(i + 1, errors.Count);
            string message = errors[i]!.AsObject().Single(p => p.Key.Equals("Message", StringComparison.OrdinalIgnoreCase)).Value!.GetValue<string>();
            Assert.Contains(missing, message, StringComparison.Ordinal);
            Assert.Equal(segments, Segments());
        }

        // The right account carries on from the same watermark: an incremental cycle.
        WriteConfig(ReplicationDomainController.Replicator);
        await RunOnceAsync();
        (int statusCode, string status) = await AgentProcess.RunAsync("agent", "status", "--config", ConfigPath);
        Assert.True(statusCode == 0, status);
        Assert.Contains("(Incremental)", status, StringComparison.Ordinal);
    }

    private static void AssertEveryInScopeUserOnce(Dictionary<string, DirectoryUser> inScope, List<Record> records)
    {
        Assert.Equal(inScope.Keys.Order(StringComparer.OrdinalIgnoreCase), records.Select(r => r.SamAccountName).Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        foreach (Record record in records)
        {
            AssertDigestIs(record, inScope[record.SamAccountName].NtHash.ToArray());
        }
    }

    // v1;PPH1_MD4,<salt hex>,<iterations>,<hash hex>; = PBKDF2-HMAC-SHA256 over UTF-16LE of the NT hash in upper-case hex.
    private static void AssertDigestIs(Record record, byte[] ntHash)
    {
        string[] parts = record.Digest.TrimEnd(';')["v1;PPH1_MD4,".Length..].Split(',');
        byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(ntHash));
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(input, Convert.FromHexString(parts[0]), int.Parse(parts[1], CultureInfo.InvariantCulture), HashAlgorithmName.SHA256, 32);
        Assert.True(expected.AsSpan().SequenceEqual(Convert.FromHexString(parts[2])), $"the digest of {record.SamAccountName} is not of the NT hash the DC stores");
    }

    private static List<Record> ReadRecords(IEnumerable<string> segments)
    {
        var records = new List<Record>();
        foreach (string segment in segments)
        {
            string text = File.ReadAllText(segment);
            Assert.True(text.EndsWith('\n'), $"segment {segment} ends mid-line");
            foreach (string line in text.TrimEnd('\n').Split('\n'))
            {
                using JsonDocument record = JsonDocument.Parse(line);
                Assert.Equal("sync", record.RootElement.GetProperty("decision").GetString());
                records.Add(new Record(record.RootElement.GetProperty("samAccountName").GetString()!, record.RootElement.GetProperty("digest").GetString()!));
            }
        }

        return records;
    }

    // The state file is a "PHSSYNCSTATE 1 sha256=<hex>" header line, then the JSON document (FileSyncStateStore).
    private string ReadStatePayload()
    {
        string text = File.ReadAllText(StateFile);
        Assert.StartsWith("PHSSYNCSTATE 1 sha256=", text, StringComparison.Ordinal);
        return text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
    }

    private static string WithoutErrors(string state)
    {
        JsonObject root = JsonNode.Parse(state)!.AsObject();
        foreach (string key in root.Select(p => p.Key).Where(k => k.Equals("RecentErrors", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            root.Remove(key);
        }

        return root.ToJsonString();
    }

    private static JsonArray Errors(string state) =>
        JsonNode.Parse(state)!.AsObject().Single(p => p.Key.Equals("RecentErrors", StringComparison.OrdinalIgnoreCase)).Value!.AsArray();

    // The DC's own view (ldbsearch on sam.ldb): users (not computers), enabled, no "must change" (pwdLastSet 0), with an NT hash.
    private Dictionary<string, DirectoryUser> InScopeUsers() => dc.Reference.ReadDatabase().Values
        .Select(a => a.User)
        .Where(u => u.HasObjectClass("user") && !u.HasObjectClass("computer")
            && !u.UserAccountControl.HasFlag(UserAccountControl.AccountDisabled) && u.PwdLastSet != 0 && u.NtHash.Length == 16)
        .ToDictionary(u => u.SamAccountName!, StringComparer.OrdinalIgnoreCase);

    private string[] Segments() =>
        System.IO.Directory.Exists(OutboxPath)
            ? [.. System.IO.Directory.GetFiles(OutboxPath, "*.jsonl").Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal)]
            : [];

    private async Task RunOnceAsync(params string[] extra)
    {
        (int code, string output) = await AgentProcess.RunAsync(["agent", "--config", ConfigPath, "--once", .. extra]);
        Assert.True(code == 0, output);
    }

    // The password goes in a 0600 file with a trailing newline, as an administrator's editor leaves it.
    private void WriteConfig((string Name, string Password) account)
    {
        string passwordFile = Path.Combine(_root, "dc-password");
        File.WriteAllText(passwordFile, account.Password + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var config = new JsonObject
        {
            ["Agent"] = new JsonObject
            {
                ["StatePath"] = "state/state.json",
                ["OutboxDirectory"] = "outbox",
                ["Source"] = new JsonObject
                {
                    ["Kind"] = "DomainController",
                    ["DomainController"] = new JsonObject
                    {
                        ["Host"] = dc.Address.ToString(),
                        ["Domain"] = ReplicationDomainController.DnsDomain,
                        ["User"] = ReplicationDomainController.NetBiosDomain + "\\" + account.Name,
                        ["PasswordFile"] = "dc-password",
                    },
                },
            },
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Microsoft.Hosting"] = "Warning" } },
        };
        File.WriteAllText(ConfigPath, config.ToJsonString());
    }

    private sealed record Record(string SamAccountName, string Digest);
}
