using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using PasswordHashSync.SupplementalCredentials;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// <c>pwsync sync</c> and <c>pwsync diagnose</c> over an LDIF export written by the test: decisions and reasons per
/// user, records whose digest is checked by an independent PBKDF2/MD4 (BouncyCastle), and managed-domain keys equal to
/// the DSInternals published keys for ADATUM.COM\April.
/// </summary>
public sealed class CliSyncCommandTests : IDisposable
{
    private const string AprilPassword = "Pa$$w0rd";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "phs-cli-sync-" + Guid.NewGuid().ToString("N"));
    private readonly string _ldif;

    public CliSyncCommandTests()
    {
        System.IO.Directory.CreateDirectory(_folder);
        _ldif = Path.Combine(_folder, "export.ldif");
        byte[] blob = SupplementalCredentialsGenerator.Generate(AprilPassword, new SupplementalCredentialsAccount
        {
            SamAccountName = "April",
            NetBiosDomainName = "ADATUM",
            DnsDomainName = "adatum.com",
        }).ToByteArray();
        var text = new StringBuilder();
        AppendUser(text, "April", 512, "134399328144554110", Md4(AprilPassword), blob);
        AppendUser(text, "disabled.dan", 514, "134399328144554110", Md4("Dan-Pa$$w0rd"), null);
        AppendUser(text, "temp.tina", 512, "0", Md4("Tina-Pa$$w0rd"), null);
        AppendUser(text, "nohash.ned", 512, "134399328144554110", null, null);
        File.WriteAllText(_ldif, text.ToString());
    }

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Sync_reports_the_decision_and_reasons_per_user_and_the_totals()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--input", _ldif);
        Assert.Equal(0, result.ExitCode);
        string[] lines = result.StandardOutput.Split('\n');
        Assert.Matches(@"^April\s+sync\s+Success\s+-$", Line(lines, "April"));
        Assert.Matches(@"^disabled\.dan\s+skip\s+\S+\s+AccountDisabled$", Line(lines, "disabled.dan"));
        Assert.Matches(@"^temp\.tina\s+skip\s+\S+\s+TemporaryPassword$", Line(lines, "temp.tina"));
        Assert.Matches(@"^nohash\.ned\s+skip\s+\S+\s+.*NoPasswordHash", Line(lines, "nohash.ned"));
        Assert.Contains("Totals: 4 users, 1 sync, 3 skip", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Sync_records_carry_a_digest_an_independent_PBKDF2_over_MD4_verifies()
    {
        string records = Path.Combine(_folder, "records.jsonl");
        Assert.Equal(0, CliRunner.Run(string.Empty, "sync", "--input", _ldif, "--output", records).ExitCode);
        List<JsonElement> all = [.. File.ReadAllLines(records).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
        Assert.Equal(4, all.Count);
        JsonElement april = all.Single(r => r.GetProperty("samAccountName").GetString() == "April");
        Assert.Equal("sync", april.GetProperty("decision").GetString());
        Assert.Equal("Success", april.GetProperty("status").GetString());
        Assert.Empty(april.GetProperty("reasons").EnumerateArray());
        Assert.Equal("DisablePasswordExpiration", april.GetProperty("passwordPolicies").GetString());
        Assert.False(april.GetProperty("forceChangePasswordNextSignIn").GetBoolean());
        Assert.False(april.TryGetProperty("managedDomain", out _));

        string[] parts = april.GetProperty("digest").GetString()!.TrimEnd(';').Split(',');
        Assert.Equal("v1;PPH1_MD4", parts[0]);
        Assert.Equal(20, parts[1].Length);
        Assert.Equal("1000", parts[2]);
        Assert.Equal(ReferenceDigestHash(AprilPassword, Convert.FromHexString(parts[1]), 1000), parts[3]);

        JsonElement dan = all.Single(r => r.GetProperty("samAccountName").GetString() == "disabled.dan");
        Assert.Equal("skip", dan.GetProperty("decision").GetString());
        Assert.Equal(JsonValueKind.Null, dan.GetProperty("digest").ValueKind);
        Assert.Equal("AccountDisabled", Assert.Single(dan.GetProperty("reasons").EnumerateArray()).GetString());
    }

    [Fact]
    public void Sync_with_the_managed_domain_writes_the_NT_hash_and_the_published_AES_keys()
    {
        string settings = Path.Combine(_folder, "managed.json");
        File.WriteAllText(settings, "{ \"managedDomainEnabled\": true, // comments are allowed\n }");
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--input", _ldif, "--settings", settings, "--output", "-");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Totals: 4 users, 1 sync, 3 skip", result.StandardError, StringComparison.Ordinal);
        JsonElement april = result.StandardOutput.TrimEnd('\n').Split('\n')
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Single(r => r.GetProperty("samAccountName").GetString() == "April");
        JsonElement managed = april.GetProperty("managedDomain");
        Assert.Equal(Convert.ToHexStringLower(Md4(AprilPassword)), managed.GetProperty("ntHash").GetString());
        Dictionary<int, JsonElement> keys = managed.GetProperty("kerberosKeys").EnumerateArray().ToDictionary(k => k.GetProperty("etype").GetInt32());
        // DSInternals KerberosKeyDerivationTester: Pa$$w0rd, salt ADATUM.COMApril.
        Assert.Equal("3a3b6a89bb82d112db5ef68f6db5d1afc2b806df61dcd85e3eacf3b85ee382d8", keys[18].GetProperty("key").GetString());
        Assert.Equal("a72c8bc96c4a6f03244f0b0067a1e440", keys[17].GetProperty("key").GetString());
        Assert.Equal(Convert.ToHexStringLower("ADATUM.COMApril"u8), keys[18].GetProperty("salt").GetString());
        Assert.Equal(4096, keys[18].GetProperty("iterations").GetInt32());
    }

    [Fact]
    public void Diagnose_lists_every_reason_with_its_remedy()
    {
        CliRunner.Outcome disabled = CliRunner.Run(string.Empty, "diagnose", "--input", _ldif, "--user", "DISABLED.DAN");
        Assert.Equal(0, disabled.ExitCode);
        Assert.Contains("Will sync: no", disabled.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("- AccountDisabled", disabled.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Remedy:", disabled.StandardOutput, StringComparison.Ordinal);

        CliRunner.Outcome april = CliRunner.Run(string.Empty, "diagnose", "--input", _ldif, "--user", "April");
        Assert.Contains("Will sync: yes", april.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_of_an_unknown_user_is_exit_3_and_without_user_is_exit_2()
    {
        Assert.Equal(3, CliRunner.Run(string.Empty, "diagnose", "--input", _ldif, "--user", "nobody").ExitCode);
        Assert.Equal(2, CliRunner.Run(string.Empty, "diagnose", "--input", _ldif).ExitCode);
    }

    [Fact]
    public void A_misspelt_setting_or_a_missing_input_is_a_data_error_exit_3()
    {
        string settings = Path.Combine(_folder, "typo.json");
        File.WriteAllText(settings, "{ \"managedDomainEnabeld\": true }");
        Assert.Equal(3, CliRunner.Run(string.Empty, "sync", "--input", _ldif, "--settings", settings).ExitCode);
        Assert.Equal(3, CliRunner.Run(string.Empty, "sync", "--input", Path.Combine(_folder, "missing.ldif")).ExitCode);
    }

    [Fact]
    public void A_long_run_draws_a_progress_bar_on_a_terminal_stderr_only()
    {
        string big = Path.Combine(_folder, "big.ldif");
        var text = new StringBuilder();
        for (int i = 0; i < 60; i++)
        {
            AppendUser(text, "user" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), 512, "134399328144554110", Md4("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), null);
        }
        File.WriteAllText(big, text.ToString());

        CliRunner.Outcome terminal = CliRunner.RunBytes([], inputIsTerminal: false, errorIsTerminal: true, prompt: null, "sync", "--input", big);
        CliRunner.Outcome redirected = CliRunner.RunBytes([], inputIsTerminal: false, errorIsTerminal: false, prompt: null, "sync", "--input", big);

        Assert.Contains("100% 60/60", terminal.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("60/60", terminal.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(string.Empty, redirected.StandardError);
        Assert.Contains("Totals: 60 users, 60 sync, 0 skip", redirected.StandardOutput, StringComparison.Ordinal);
    }

    private static string Line(string[] lines, string user) => lines.Single(l => l.StartsWith(user + " ", StringComparison.Ordinal)).TrimEnd();

    private static byte[] Md4(string password)
    {
        byte[] bytes = Encoding.Unicode.GetBytes(password);
        var md4 = new MD4Digest();
        md4.BlockUpdate(bytes, 0, bytes.Length);
        byte[] hash = new byte[16];
        md4.DoFinal(hash, 0);
        return hash;
    }

    /// <summary>The digest hash by an independent path: BouncyCastle MD4 and PBKDF2-HMAC-SHA256 over UTF-16LE(upper hex).</summary>
    private static string ReferenceDigestHash(string password, byte[] salt, int iterations)
    {
        byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(Md4(password)));
        var pbkdf2 = new Pkcs5S2ParametersGenerator(new Sha256Digest());
        pbkdf2.Init(input, salt, iterations);
        return Convert.ToHexStringLower(((KeyParameter)pbkdf2.GenerateDerivedMacParameters(256)).GetKey());
    }

    private static void AppendUser(StringBuilder text, string name, int userAccountControl, string pwdLastSet, byte[]? ntHash, byte[]? supplementalCredentials)
    {
        text.Append("dn: CN=").Append(name).Append(",CN=Users,DC=adatum,DC=com\n");
        text.Append("objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\n");
        text.Append("cn: ").Append(name).Append('\n');
        text.Append("objectGUID: ").Append(Guid.NewGuid()).Append('\n');
        text.Append("sAMAccountName: ").Append(name).Append('\n');
        text.Append("userAccountControl: ").Append(userAccountControl).Append('\n');
        text.Append("pwdLastSet: ").Append(pwdLastSet).Append('\n');
        if (ntHash is not null)
        {
            text.Append("unicodePwd:: ").Append(Convert.ToBase64String(ntHash)).Append('\n');
        }
        if (supplementalCredentials is not null)
        {
            text.Append("supplementalCredentials:: ").Append(Convert.ToBase64String(supplementalCredentials)).Append('\n');
        }
        text.Append('\n');
    }
}
