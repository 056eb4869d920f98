using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PasswordHashSync.IntegrationTests.Replication;
using PasswordHashSync.IntegrationTests.Samba;
using PasswordHashSync.Kerberos;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Agent;

/// <summary>
/// The real <c>pwsync agent</c> against the Samba DC with <c>ntlm auth = disabled</c>, signing in with Kerberos from
/// a keytab and no password anywhere: the keytab is written by the project's <see cref="KeytabWriter"/> with the AES
/// keys of Administrator salted as AD salts a user (REALM + sAMAccountName), and MIT (not this library) confirms it:
/// <c>klist -k</c> reads it and <c>kinit -k</c> gets a TGT from Samba's KDC with it. <c>--once</c> sends every in-scope
/// user, a changed password gives a segment with that user only (incremental), <c>agent status</c> reports both cycles
/// completed without errors; the same agent with <c>Auth = Ntlm</c> and the password is refused by this DC.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Samba, MIT and the file modes are Unix
public sealed class AgentKerberosKeytabTests(SambaKerberosDc dc) : IClassFixture<SambaKerberosDc>, IDisposable
{
    private const string Administrator = "Administrator";
    private static readonly (string Name, string Password)[] Users = [("kagent.one", "Kagent-One-Pa55!"), ("kagent.two", "Kagent-Two-Pa55!")];
    private readonly string _root = System.IO.Directory.CreateTempSubdirectory("phs-agent-krb-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Agent_SignsInWithAKeytabOnly_OnTheNtlmDisabledDc_FullThenIncremental_AndStatusReportsSuccess()
    {
        foreach ((string name, string password) in Users)
        {
            SambaTool("user", "create", name, password, "--use-username-as-cn");
        }

        string keytab = WriteAdministratorKeytab();
        AssertMitAcceptsTheKeytab(keytab);
        string config = WriteConfig(_root, ("Auth", "Kerberos"), ("KeytabFile", "agent.keytab"));
        Assert.DoesNotContain(dc.AdministratorPassword, File.ReadAllText(config), StringComparison.Ordinal);

        // The initial cycle is a full sync: Administrator and both users, each with the digest of its NT hash.
        await RunOnceAsync(config);
        Dictionary<string, string> full = Records(Segments());
        Assert.Equal(dc.AdministratorPassword, PasswordOf(full, Administrator, dc.AdministratorPassword));
        foreach ((string name, string password) in Users)
        {
            Assert.Equal(password, PasswordOf(full, name, password));
        }

        // One password changes on the DC; the next cycle's segment holds that user's record and no other.
        string[] before = Segments();
        string changed = "Kagent-Two-" + Guid.NewGuid().ToString("N")[..8] + "!";
        SambaTool("user", "setpassword", Users[1].Name, "--newpassword=" + changed);
        await RunOnceAsync(config);
        Dictionary<string, string> incremental = Records([.. Segments().Except(before)]);
        Assert.Equal(Users[1].Name, Assert.Single(incremental.Keys), ignoreCase: true);
        Assert.Equal(changed, PasswordOf(incremental, Users[1].Name, changed));

        (int code, string status) = await AgentProcess.RunAsync("agent", "status", "--config", config);
        Assert.True(code == 0, status);
        Assert.Contains("(Incremental)", status, StringComparison.Ordinal);
        Assert.Contains("Initial sync:     completed", status, StringComparison.Ordinal);
        Assert.Contains("Retry queue:      0 user(s)", status, StringComparison.Ordinal);
        Assert.Contains("Last errors:      none", status, StringComparison.Ordinal);

        // The same agent with NTLM and Administrator's password: this DC refuses it (event 1011, the account named).
        string ntlmRoot = System.IO.Directory.CreateDirectory(Path.Combine(_root, "ntlm")).FullName;
        string passwordFile = Path.Combine(ntlmRoot, "dc-password");
        File.WriteAllText(passwordFile, dc.AdministratorPassword + "\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string ntlmConfig = WriteConfig(ntlmRoot, ("Auth", "Ntlm"), ("PasswordFile", "dc-password"));
        (int ntlmCode, string output) = await AgentProcess.RunAsync("agent", "--config", ntlmConfig, "--once");
        Assert.True(ntlmCode == 6, output);
        string refusal = Assert.Single(output.Split('\n'), l => l.Contains("[1011]", StringComparison.Ordinal));
        Assert.Contains("refused the credentials of " + SambaKerberosDc.NetBiosDomain + "\\" + Administrator, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(dc.AdministratorPassword, output, StringComparison.Ordinal);
    }

    // Administrator's AES keys, salted KRB.EXAMPLE.TESTAdministrator, in an owner-only keytab (KeytabWriter writes 0600).
    private string WriteAdministratorKeytab()
    {
        string path = Path.Combine(_root, "agent.keytab");
        byte[] salt = Encoding.UTF8.GetBytes(SambaKerberosDc.Realm + Administrator);
        using KerberosKey aes256 = KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, dc.AdministratorPassword, salt);
        using KerberosKey aes128 = KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes128CtsHmacSha196, dc.AdministratorPassword, salt);
        KeytabWriter.WriteFile(path, new[] { aes256, aes128 }.Select(k => new KeytabEntry(SambaKerberosDc.Realm, [Administrator], k, 1, DateTimeOffset.UtcNow)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        return path;
    }

    // MIT's klist reads the keytab and MIT's kinit signs in with it at Samba's KDC: the salt and keys are the DC's.
    private void AssertMitAcceptsTheKeytab(string keytab)
    {
        string principal = Administrator + "@" + SambaKerberosDc.Realm;
        ExternalTool.Result list = ExternalTool.Run(ExternalTool.Require("klist", "krb5-user"), ["-k", "-t", "-e", keytab]);
        Assert.True(list.ExitCode == 0, "klist -k: " + list.StandardError);
        Assert.Contains(principal + " (aes256-cts-hmac-sha1-96)", list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(principal + " (aes128-cts-hmac-sha1-96)", list.StandardOutput, StringComparison.Ordinal);

        string krb5Conf = Path.Combine(_root, "krb5.conf");
        File.WriteAllText(krb5Conf,
            "[libdefaults]\n default_realm = " + SambaKerberosDc.Realm + "\n dns_lookup_kdc = false\n dns_lookup_realm = false\n rdns = false\n" +
            "[realms]\n " + SambaKerberosDc.Realm + " = {\n  kdc = " + dc.Kdc + "\n }\n");
        var environment = new Dictionary<string, string> { ["KRB5_CONFIG"] = krb5Conf, ["KRB5CCNAME"] = "FILE:" + Path.Combine(_root, "ccache"), ["KRB5_TRACE"] = "/dev/null" };
        ExternalTool.Result init = ExternalTool.Run(ExternalTool.Require("kinit", "krb5-user"), ["-k", "-t", keytab, principal], environment: environment);
        Assert.True(init.ExitCode == 0, "kinit -k: " + init.StandardError);
    }

    private void SambaTool(params string[] arguments) =>
        SambaDomainController.RunOrThrow(dc.SambaTool, [.. arguments, "-H", Path.Combine(dc.Directory, "dc", "private", "sam.ldb"), "--configfile=" + dc.SmbConf]);

    private static async Task RunOnceAsync(string config)
    {
        (int code, string output) = await AgentProcess.RunAsync("agent", "--config", config, "--once");
        Assert.True(code == 0, output);
    }

    // The password whose NT hash the record's digest is of: the expected one, or a marker that fails the comparison.
    private static string PasswordOf(Dictionary<string, string> records, string name, string expected)
    {
        Assert.True(records.TryGetValue(name, out string? digest), $"no record for {name}: {string.Join(", ", records.Keys)}");
        return DigestIsOf(digest, AgentWorkspace.NtHash(expected)) ? expected : "(the digest of another password)";
    }

    // v1;PPH1_MD4,<salt hex>,<iterations>,<hash hex>; = PBKDF2-HMAC-SHA256 over UTF-16LE of the NT hash in upper-case hex.
    private static bool DigestIsOf(string digest, byte[] ntHash)
    {
        string[] parts = digest.TrimEnd(';')["v1;PPH1_MD4,".Length..].Split(',');
        byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(ntHash));
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(input, Convert.FromHexString(parts[0]), int.Parse(parts[1], CultureInfo.InvariantCulture), HashAlgorithmName.SHA256, 32);
        return expected.AsSpan().SequenceEqual(Convert.FromHexString(parts[2]));
    }

    private static Dictionary<string, string> Records(IEnumerable<string> segments)
    {
        var records = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string segment in segments)
        {
            foreach (string line in File.ReadAllText(segment).TrimEnd('\n').Split('\n'))
            {
                using JsonDocument record = JsonDocument.Parse(line);
                Assert.Equal("sync", record.RootElement.GetProperty("decision").GetString());
                records.Add(record.RootElement.GetProperty("samAccountName").GetString()!, record.RootElement.GetProperty("digest").GetString()!);
            }
        }

        return records;
    }

    private string[] Segments()
    {
        string outbox = Path.Combine(_root, "outbox");
        return System.IO.Directory.Exists(outbox)
            ? [.. System.IO.Directory.GetFiles(outbox, "*.jsonl").Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal)]
            : [];
    }

    private string WriteConfig(string root, params (string Key, string Value)[] signIn)
    {
        var source = new JsonObject
        {
            ["Host"] = dc.Host, // an address: the DC's host name for its service principal comes from the rootDSE
            ["Domain"] = SambaKerberosDc.Realm.ToLowerInvariant(),
            ["User"] = SambaKerberosDc.NetBiosDomain + "\\" + Administrator,
        };
        foreach ((string key, string value) in signIn)
        {
            source[key] = value;
        }

        var config = new JsonObject
        {
            ["Agent"] = new JsonObject
            {
                ["StatePath"] = "state/state.json",
                ["OutboxDirectory"] = "outbox",
                ["Source"] = new JsonObject { ["Kind"] = "DomainController", ["DomainController"] = source },
            },
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Microsoft.Hosting"] = "Warning" } },
        };
        string path = Path.Combine(root, "agent.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }
}
