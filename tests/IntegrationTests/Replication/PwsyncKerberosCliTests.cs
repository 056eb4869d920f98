using System.Text;
using System.Text.Json;
using PasswordHashSync.IntegrationTests.Agent;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// The built <c>pwsync</c> run as a process with Kerberos against the shared Samba DC that allows both NTLM and
/// Kerberos, with <c>--dc</c> given as its IP address (the service principal's host name comes from its rootDSE):
/// <c>replicate --auth kerberos</c> writes exactly what <c>--auth ntlm</c> writes (accounts, NT hashes and their history,
/// Kerberos keys), a keytab written by <c>pwsync keytab</c> signs in unattended, and <c>sync --auth kerberos --state</c>
/// is incremental on its second run.
/// </summary>
[Collection(ReplicationDomainControllerGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PwsyncKerberosCliTests(ReplicationDomainController dc) : IDisposable
{
    private static readonly (string Name, string Password) s_agent = ReplicationDomainController.Replicator;
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("phs-cli-krb-").FullName;

    private string Address => dc.Address.ToString();

    [Fact]
    public async Task Replicate_with_auth_kerberos_by_address_writes_the_same_accounts_hashes_and_keys_as_auth_ntlm()
    {
        string overNtlm = Path.Combine(_folder, "ntlm.jsonl");
        (int code, string log) = await AgentProcess.RunAsync([.. Connection(), "--auth", "ntlm", "--output", overNtlm]);
        Assert.True(code == 0, log);

        // The same command line but --auth: the KDC is the DC on port 88, the realm the upper-cased --domain.
        string overKerberos = Path.Combine(_folder, "kerberos.jsonl");
        (code, log) = await AgentProcess.RunAsync([.. Connection(), "--auth", "kerberos", "--output", overKerberos]);
        Assert.True(code == 0, log);
        Assert.DoesNotContain("warning", log, StringComparison.Ordinal);

        Dictionary<string, string> ntlm = Accounts(overNtlm);
        Dictionary<string, string> kerberos = Accounts(overKerberos);
        Assert.True(ntlm.Count >= dc.Accounts.Count, $"only {ntlm.Count} accounts over NTLM");
        Assert.Equal(ntlm.Keys.Order(StringComparer.Ordinal), kerberos.Keys.Order(StringComparer.Ordinal));
        foreach ((string name, string line) in ntlm)
        {
            Assert.True(line == kerberos[name], $"{name} differs:\nNTLM     {line}\nKerberos {kerberos[name]}");
        }

        // Not merely equal: the secrets decrypted under the Kerberos session key are the known password's.
        using JsonDocument agent = JsonDocument.Parse(kerberos[s_agent.Name]);
        Assert.Equal(Convert.ToHexString(NtHash.Compute(s_agent.Password)), agent.RootElement.GetProperty("ntHash").GetString(), ignoreCase: true);
        Assert.True(agent.RootElement.GetProperty("kerberosKeys").GetArrayLength() >= 2, kerberos[s_agent.Name]);
    }

    [Fact]
    public async Task A_keytab_written_by_pwsync_keytab_signs_in_unattended_with_and_without_kdc_and_realm()
    {
        string keytab = Path.Combine(_folder, "agent.keytab");
        (int code, string log) = await AgentProcess.RunAsync(
            "keytab", "--principal", $"{s_agent.Name}@{ReplicationDomainController.Realm}", "--output", keytab,
            "--etype", "aes256-cts-hmac-sha1-96,aes128-cts-hmac-sha1-96", "--password", s_agent.Password);
        Assert.True(code == 0, log);

        string[] withKeytab =
        [
            "replicate", "--dc", Address, "--domain", ReplicationDomainController.DnsDomain, "--user", s_agent.Name, "--keytab", keytab, "--account", s_agent.Name,
        ];
        foreach (string[] extra in new[] { ["--auth", "kerberos", "--kdc", Address + ":88", "--realm", ReplicationDomainController.Realm.ToLowerInvariant()], Array.Empty<string>() })
        {
            string output = Path.Combine(_folder, $"keytab{extra.Length}.jsonl");
            (code, log) = await AgentProcess.RunAsync([.. withKeytab, .. extra, "--output", output]);
            Assert.True(code == 0, log);
            using JsonDocument line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(output)));
            Assert.Equal(Convert.ToHexString(NtHash.Compute(s_agent.Password)), line.RootElement.GetProperty("ntHash").GetString(), ignoreCase: true);
        }

        // A keytab has no NTLM secret: with --auth ntlm it is refused before anything connects.
        (code, log) = await AgentProcess.RunAsync([.. withKeytab, "--auth", "ntlm"]);
        Assert.True(code == 2, log);
        Assert.Contains("--keytab holds Kerberos keys", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_with_auth_kerberos_and_a_state_file_is_full_then_incremental_with_only_the_changed_user()
    {
        string state = Path.Combine(_folder, "kerberos.state");
        string records = Path.Combine(_folder, "records.jsonl");
        string[] sync = ["sync", .. Connection().Skip(1), "--auth", "kerberos", "--state", state, "--output", records];

        (int code, string log) = await AgentProcess.RunAsync(sync);
        Assert.True(code == 0, log);
        Assert.Contains(": Full cycle", log, StringComparison.Ordinal);

        dc.SetPassword("mutable.beta", "Kerberos-Cli-Beta-1");
        (code, log) = await AgentProcess.RunAsync(sync);
        Assert.True(code == 0, log);
        Assert.Contains(": Incremental cycle", log, StringComparison.Ordinal);
        using JsonDocument record = JsonDocument.Parse(Assert.Single(File.ReadAllLines(records)));
        Assert.Equal("mutable.beta", record.RootElement.GetProperty("samAccountName").GetString());
        Assert.Equal(
            Digest.DigestVerificationStatus.Success,
            Digest.SaltedDigestVerifier.Default.Verify("Kerberos-Cli-Beta-1", record.RootElement.GetProperty("digest").GetString()!).Status);
    }

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    private string[] Connection()
    {
        string passwordFile = Path.Combine(_folder, "agent.password");
        File.WriteAllText(passwordFile, s_agent.Password, new UTF8Encoding(false));
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return ["replicate", "--dc", Address, "--domain", ReplicationDomainController.DnsDomain, "--user", s_agent.Name, "--password-file", passwordFile];
    }

    // Each account's JSON line, by samAccountName.
    private static Dictionary<string, string> Accounts(string file) => File.ReadAllLines(file).ToDictionary(Name, line => line, StringComparer.Ordinal);

    private static string Name(string line)
    {
        using JsonDocument document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("samAccountName").GetString()!;
    }
}
