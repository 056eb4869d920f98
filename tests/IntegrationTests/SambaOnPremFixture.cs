using System.Text.Json;
using PasswordHashSync.Directory;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests;

/// <summary>
/// Runs scripts/samba-onprem-fixture.sh once per test run: a throwaway Samba AD domain with known passwords, exported
/// with its secret attributes. A missing Samba or a failing script fails every test that uses it, loudly.
/// </summary>
public sealed class SambaOnPremFixture : IDisposable
{
    public SambaOnPremFixture()
    {
        ExternalTool.Require("samba-tool", "samba");
        ExternalTool.Require("ldbsearch", "ldb-tools");
        OutputDirectory = System.IO.Directory.CreateTempSubdirectory("phs-onprem-").FullName;
        string script = Path.Combine(RepositoryPaths.Root, "scripts", "samba-onprem-fixture.sh");
        // A provisioning and a dozen samba-tool runs: minutes on a loaded 2-core CI host; the limit is for a hang.
        ExternalTool.Result result = ExternalTool.Run("bash", [script, OutputDirectory], timeout: TimeSpan.FromMinutes(15));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"samba-onprem-fixture.sh failed with exit code {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}");
        }

        LdifPath = Path.Combine(OutputDirectory, "directory.ldif");
        Users = LdifDirectoryReader.ReadFile(LdifPath).ToList();
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputDirectory, "directory.manifest.json")));
        JsonElement root = manifest.RootElement;
        Realm = root.GetProperty("realm").GetString()!;
        NetBiosDomain = root.GetProperty("netbiosDomain").GetString()!;
        Accounts = root.GetProperty("accounts").EnumerateArray().Select(a => new KnownAccount(
            a.GetProperty("sAMAccountName").GetString(),
            a.GetProperty("password").GetString(),
            a.GetProperty("oldPasswords").EnumerateArray().Select(p => p.GetString()!).ToArray(),
            a.GetProperty("userPrincipalName").GetString(),
            a.GetProperty("kind").GetString()!)).ToList();
    }

    public string OutputDirectory { get; }

    public string LdifPath { get; }

    public string Realm { get; }

    public string NetBiosDomain { get; }

    public IReadOnlyList<DirectoryUser> Users { get; }

    public IReadOnlyList<KnownAccount> Accounts { get; }

    public IEnumerable<(KnownAccount Account, DirectoryUser User)> AccountsWithPasswords =>
        Accounts.Where(a => a.Password is not null).Select(a => (a, Users.Single(u => u.SamAccountName == a.SamAccountName)));

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(OutputDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    public sealed record KnownAccount(string? SamAccountName, string? Password, string[] OldPasswords, string? UserPrincipalName, string Kind);
}

[CollectionDefinition(Name)]
public sealed class SambaOnPremGroup : ICollectionFixture<SambaOnPremFixture>
{
    public const string Name = "Samba on-prem domain";
}
