using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// <c>pwsync sync</c> without --input runs on the sample bundled in the tool (samples/directory.ldif, a real Samba AD
/// export). Every synced record is checked against the documented password of samples/directory.manifest.json with
/// an independent MD4/PBKDF2 (BouncyCastle); the AES keys are the ones the Samba DC derived.
/// </summary>
public class CliBundledSampleTests
{
    private static readonly Lazy<JsonElement> s_manifest = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "directory.manifest.json"))).RootElement.Clone());

    [Fact]
    public void Sync_without_input_runs_on_the_bundled_sample_and_each_digest_matches_the_documented_password()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--output", "-");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("bundled sample directory", result.StandardError, StringComparison.Ordinal);
        List<JsonElement> records = [.. result.StandardOutput.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement.Clone())];
        JsonElement[] accounts = [.. s_manifest.Value.GetProperty("accounts").EnumerateArray()];
        Assert.Equal(accounts.Length, records.Count);

        var synced = records.Where(r => r.GetProperty("decision").GetString() == "sync").ToList();
        Assert.Equal(
            ["Alice.Smith", "CarolW", "Emoji.User", "bob", "dave.nonascii", "heidi.filtered", "ivan.reversible"],
            synced.Select(r => r.GetProperty("samAccountName").GetString()!).Order(StringComparer.Ordinal));
        foreach (JsonElement record in synced)
        {
            string password = PasswordOf(record.GetProperty("samAccountName").GetString()!);
            string[] parts = record.GetProperty("digest").GetString()!.TrimEnd(';').Split(',');
            Assert.Equal(ReferenceDigestHash(password, Convert.FromHexString(parts[1]), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)), parts[3]);
        }

        Assert.Equal("AccountDisabled", SingleReason(records, "grace.disabled"));
        Assert.Equal("TemporaryPassword", SingleReason(records, "frank.temp"));
        Assert.Equal("NotUserObject", SingleReason(records, "WS01$"));
    }

    [Fact]
    public void Managed_domain_records_of_the_bundled_sample_carry_the_NT_hash_of_the_documented_password()
    {
        string settings = Path.Combine(Path.GetTempPath(), "phs-cli-managed-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(settings, "{\"managedDomainEnabled\": true}");
        try
        {
            CliRunner.Outcome result = CliRunner.Run(string.Empty, "sync", "--settings", settings, "--output", "-");
            Assert.Equal(0, result.ExitCode);
            foreach (JsonElement record in result.StandardOutput.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement.Clone())
                .Where(r => r.GetProperty("decision").GetString() == "sync"))
            {
                string name = record.GetProperty("samAccountName").GetString()!;
                JsonElement managed = record.GetProperty("managedDomain");
                Assert.Equal(Convert.ToHexStringLower(Md4(PasswordOf(name))), managed.GetProperty("ntHash").GetString());
                Assert.Contains(managed.GetProperty("kerberosKeys").EnumerateArray(), k => k.GetProperty("etype").GetInt32() == 18);
            }
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Fact]
    public void A_newcomer_can_verify_a_documented_password_against_a_digest_from_the_sample()
    {
        CliRunner.Outcome sync = CliRunner.Run(string.Empty, "sync", "--output", "-");
        string digest = sync.StandardOutput.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Single(r => r.GetProperty("samAccountName").GetString() == "bob").GetProperty("digest").GetString()!;
        Assert.Equal((0, "success\n"), Outcome(CliRunner.Run(PasswordOf("bob"), "verify", "--digest", digest, "--password-stdin")));
        Assert.Equal((1, "failed\n"), Outcome(CliRunner.Run("Bob-Pa$$w0rd!", "verify", "--digest", digest, "--password-stdin")));
    }

    [Fact]
    public void Diagnose_on_the_bundled_sample_explains_the_temporary_password()
    {
        CliRunner.Outcome result = CliRunner.Run(string.Empty, "diagnose", "--user", "frank.temp");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("- TemporaryPassword", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Remedy:", result.StandardOutput, StringComparison.Ordinal);
    }

    private static (int, string) Outcome(CliRunner.Outcome outcome) => (outcome.ExitCode, outcome.StandardOutput);

    private static string SingleReason(List<JsonElement> records, string name) =>
        Assert.Single(records.Single(r => r.GetProperty("samAccountName").GetString() == name).GetProperty("reasons").EnumerateArray()).GetString()!;

    private static string PasswordOf(string name) =>
        s_manifest.Value.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("sAMAccountName").GetString() == name).GetProperty("password").GetString()!;

    private static byte[] Md4(string password)
    {
        byte[] bytes = Encoding.Unicode.GetBytes(password);
        var md4 = new MD4Digest();
        md4.BlockUpdate(bytes, 0, bytes.Length);
        byte[] hash = new byte[16];
        md4.DoFinal(hash, 0);
        return hash;
    }

    private static string ReferenceDigestHash(string password, byte[] salt, int iterations)
    {
        byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(Md4(password)));
        var pbkdf2 = new Pkcs5S2ParametersGenerator(new Sha256Digest());
        pbkdf2.Init(input, salt, iterations);
        return Convert.ToHexStringLower(((KeyParameter)pbkdf2.GenerateDerivedMacParameters(256)).GetKey());
    }
}
