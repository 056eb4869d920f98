using System.Net;
using System.Text;
using System.Text.Json;
using PasswordHashSync.Digest;
using PasswordHashSync.IntegrationTests.Agent;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// The built <c>pwsync</c> run as a process against the live Samba DC: <c>pwsync replicate</c> (one JSON object per
/// account, <c>--account</c>, <c>--output</c> written with mode 0600) and <c>pwsync sync --dc --state</c> (a full run, then
/// an incremental one with only the changed user), and exit code 4 with the diagnostic for an unreachable DC and for an
/// account without the replication rights. Values are compared with what Samba stores (ldbsearch on its sam.ldb).
/// </summary>
[Collection(ReplicationDomainControllerGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PwsyncReplicationCliTests(ReplicationDomainController dc) : IDisposable
{
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("phs-cli-repl-").FullName;

    [Fact]
    public async Task Replicate_writes_one_json_object_per_account_to_a_0600_file_equal_to_the_DCs_database()
    {
        string output = Path.Combine(_folder, "accounts.jsonl");
        (int code, string log) = await AgentProcess.RunAsync([.. Connection(ReplicationDomainController.Replicator), "--output", output]);
        Assert.True(code == 0, log);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));

        var stored = dc.Reference.ReadDatabase();
        JsonElement[] lines = [.. File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.Equal(
            stored.Values.Where(s => s.User.HasObjectClass("user")).Select(s => s.User.SamAccountName!).Order(StringComparer.OrdinalIgnoreCase),
            lines.Select(l => l.GetProperty("samAccountName").GetString()!).Order(StringComparer.OrdinalIgnoreCase));
        Assert.Contains($"{lines.Length} account(s)", log, StringComparison.Ordinal);
        foreach (ReplicationTestAccount account in dc.Accounts)
        {
            AssertSameAsStored(stored[account.SamAccountName], lines.Single(l => l.GetProperty("samAccountName").GetString() == account.SamAccountName));
        }
    }

    [Fact]
    public async Task Replicate_one_account_to_standard_output_writes_exactly_that_account()
    {
        (int code, string log) = await AgentProcess.RunAsync([.. Connection(ReplicationDomainController.Replicator), "--account", "dave.nonascii"]);
        Assert.True(code == 0, log);
        JsonElement[] lines = [.. log.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)];
        JsonElement line = Assert.Single(lines);
        AssertSameAsStored(dc.Reference.ReadDatabase()["dave.nonascii"], line);
    }

    [Fact]
    public async Task An_account_without_the_replication_rights_exits_4_naming_the_right_and_the_remedy()
    {
        (int code, string log) = await AgentProcess.RunAsync([.. Connection(ReplicationDomainController.GetChangesOnly), "--account", "dave.nonascii"]);
        Assert.True(code == 4, log);
        Assert.Contains("lacks \"Replicating Directory Changes All\"", log, StringComparison.Ordinal);
        Assert.Contains("samba-tool dsacl set", log, StringComparison.Ordinal);
        Assert.DoesNotContain("{\"samAccountName\"", log, StringComparison.Ordinal);

        (code, log) = await AgentProcess.RunAsync([.. Connection(ReplicationDomainController.PlainUser)]);
        Assert.True(code == 4, log);
        Assert.Contains("lacks \"Replicating Directory Changes\"", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_DC_exits_4_with_a_connectivity_reason_for_replicate_and_for_sync()
    {
        IPAddress nothing = LoopbackAddress.Allocate(135);
        string[] connection = [.. Connection(ReplicationDomainController.Replicator, nothing.ToString())];
        (int code, string log) = await AgentProcess.RunAsync(connection);
        Assert.True(code == 4, log);
        Assert.Contains("Cannot replicate from the domain controller", log, StringComparison.Ordinal);
        Assert.Contains("connection refused", log, StringComparison.Ordinal);

        (code, log) = await AgentProcess.RunAsync(["sync", .. connection.Skip(1), "--state", Path.Combine(_folder, "unreachable.state")]);
        Assert.True(code == 4, log);
        Assert.Contains("Cannot replicate from the domain controller", log, StringComparison.Ordinal);
        // The agent's event for the same failure (issue 12: one classification for both).
        Assert.Contains("pwsync sync: error 1010 DirectoryUnreachable: ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_with_a_state_file_and_an_account_without_the_rights_logs_event_1011_and_exits_4()
    {
        string[] sync = ["sync", .. Connection(ReplicationDomainController.GetChangesOnly).Skip(1), "--state", Path.Combine(_folder, "denied.state")];
        (int code, string log) = await AgentProcess.RunAsync(sync);
        Assert.True(code == 4, log);
        Assert.Contains("pwsync sync: error 1011 ReplicationAccessDenied: ", log, StringComparison.Ordinal);
        Assert.Contains("lacks \"Replicating Directory Changes All\"", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_with_a_state_file_runs_full_then_incremental_with_only_the_changed_user()
    {
        string state = Path.Combine(_folder, "sync.state");
        string settings = Path.Combine(_folder, "settings.json");
        File.WriteAllText(settings, "{ \"managedDomainEnabled\": true }");
        string records = Path.Combine(_folder, "records.jsonl");
        string[] sync = ["sync", .. Connection(ReplicationDomainController.Replicator).Skip(1), "--state", state, "--settings", settings, "--output", records];

        (int code, string log) = await AgentProcess.RunAsync(sync);
        Assert.True(code == 0, log);
        Assert.Contains(": Full cycle", log, StringComparison.Ordinal);
        Assert.True(File.ReadAllLines(records).Length >= dc.Accounts.Count, log);

        dc.SetPassword("mutable.delta", "Cli-Delta-1");
        (code, log) = await AgentProcess.RunAsync(sync);
        Assert.True(code == 0, log);
        Assert.Contains(": Incremental cycle", log, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(records));
        JsonElement record = Assert.Single(File.ReadAllLines(records).Select(l => JsonDocument.Parse(l).RootElement));
        Assert.Equal("mutable.delta", record.GetProperty("samAccountName").GetString());
        Assert.Equal(DigestVerificationStatus.Success, SaltedDigestVerifier.Default.Verify("Cli-Delta-1", record.GetProperty("digest").GetString()!).Status);

        // The managed-domain record carries the NT hash and the Kerberos keys: those Samba stores for the new password.
        SambaStoredAccount stored = dc.Reference.ReadDatabase()["mutable.delta"];
        JsonElement managed = record.GetProperty("managedDomain");
        Assert.Equal(SambaReference.Hex(stored.User.NtHash.Span), managed.GetProperty("ntHash").GetString());
        Assert.Equal(SambaReference.Hex(NtHash.Compute("Cli-Delta-1")), managed.GetProperty("ntHash").GetString());
        Assert.Equal(Keys(stored), managed.GetProperty("kerberosKeys").EnumerateArray().Select(Key).Order());

        // Nothing changed since: the next run is incremental and exports nobody.
        (code, log) = await AgentProcess.RunAsync(sync);
        Assert.True(code == 0, log);
        Assert.Contains(": Incremental cycle", log, StringComparison.Ordinal);
        Assert.Empty(File.ReadAllLines(records));
    }

    // --report with --dc: the runner's outcome observer streams every user's row (named by the outcome, no name list).
    [Fact]
    public async Task Sync_dc_report_file_lists_every_replicated_account()
    {
        string report = Path.Combine(_folder, "dc-report.txt");
        string[] sync = ["sync", .. Connection(ReplicationDomainController.Replicator).Skip(1), "--report", report];

        (int code, string log) = await AgentProcess.RunAsync(sync);

        Assert.True(code == 0, log);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(report));
        string[] lines = File.ReadAllLines(report);
        string totals = lines.Single(l => l.StartsWith("Totals: ", StringComparison.Ordinal));
        int users = int.Parse(totals.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        int header = Array.FindIndex(lines, l => l.StartsWith("USER ", StringComparison.Ordinal));
        string[] rows = [.. lines.Skip(header + 1).TakeWhile(l => l.Length > 0)];
        Assert.Equal(users, rows.Length);
        Assert.Contains("Full cycle", lines, StringComparer.Ordinal);
        Assert.Contains($"The per-user table ({users} users) is in {report}", log, StringComparison.Ordinal);
        foreach (ReplicationTestAccount account in dc.Accounts)
        {
            Assert.Single(rows, r => r.Split(' ')[0] == account.SamAccountName);
        }
    }

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    private string[] Connection((string Name, string Password) account, string? host = null)
    {
        string passwordFile = Path.Combine(_folder, account.Name + ".password");
        File.WriteAllText(passwordFile, account.Password, new UTF8Encoding(false));
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return
        [
            "replicate", "--dc", host ?? dc.Address.ToString(), "--domain", ReplicationDomainController.DnsDomain,
            "--user", account.Name, "--password-file", passwordFile,
        ];
    }

    private static void AssertSameAsStored(SambaStoredAccount stored, JsonElement line)
    {
        string name = stored.User.SamAccountName!;
        Assert.True(stored.User.ObjectGuid?.ToString("D") == line.GetProperty("objectGuid").GetString(), name + ": objectGuid");
        Assert.True((int)stored.User.UserAccountControl == line.GetProperty("userAccountControl").GetInt32(), name + ": userAccountControl");
        Assert.True(stored.User.UserPrincipalName == (line.GetProperty("userPrincipalName").ValueKind == JsonValueKind.Null ? null : line.GetProperty("userPrincipalName").GetString()), name + ": userPrincipalName");
        Assert.True(SambaReference.Hex(stored.User.NtHash.Span) == line.GetProperty("ntHash").GetString(), name + ": ntHash");
        Assert.True(stored.NtHashHistory.Select(h => SambaReference.Hex(h)).SequenceEqual(line.GetProperty("ntHashHistory").EnumerateArray().Select(e => e.GetString()!)), name + ": ntHashHistory");
        Assert.True(Keys(stored).SequenceEqual(line.GetProperty("kerberosKeys").EnumerateArray().Select(Key).Order()), name + ": kerberosKeys");
        Assert.StartsWith("S-1-5-21-", line.GetProperty("objectSid").GetString(), StringComparison.Ordinal);
    }

    // The current Kerberos keys as "etype key salt iterations", ordered, from Samba's supplementalCredentials.
    private static IOrderedEnumerable<string> Keys(SambaStoredAccount stored) =>
        SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(stored.User.SupplementalCredentials)
            .Select(k => $"{(int)k.EncryptionType} {SambaReference.Hex(k.Key.Span)} {SambaReference.Hex(k.Salt.Span)} {k.IterationCount}").Order();

    private static string Key(JsonElement key) =>
        $"{key.GetProperty("etype").GetInt32()} {key.GetProperty("key").GetString()} {key.GetProperty("salt").GetString()} {key.GetProperty("iterations").GetInt32()}";
}
