using System.Text;
using System.Text.Json;
using PasswordHashSync.IntegrationTests.Agent;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// The built <c>pwsync</c> against the DC with <c>ntlm auth = disabled</c>, <c>--dc</c> given as its IP address:
/// <c>--auth ntlm</c> is refused with exit code 4 (credentials refused) for <c>replicate</c> and <c>sync</c>, while the
/// same command line with <c>--auth negotiate</c> (the default) signs in with Kerberos, without an NTLM fallback warning.
/// </summary>
public sealed partial class SambaKerberosRpcTests
{
    [Fact]
    public async Task Pwsync_on_the_NTLM_disabled_DC_exits_4_for_auth_ntlm_and_replicates_with_negotiate_via_Kerberos()
    {
        string folder = System.IO.Directory.CreateTempSubdirectory("phs-cli-krbdc-").FullName;
        try
        {
            string passwordFile = Path.Combine(folder, "administrator.password");
            File.WriteAllText(passwordFile, dc.AdministratorPassword, new UTF8Encoding(false));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            string[] connection = ["--dc", dc.Host, "--domain", SambaKerberosDc.Realm.ToLowerInvariant(), "--user", "Administrator", "--password-file", passwordFile];
            (int code, string log) = await AgentProcess.RunAsync(["replicate", .. connection, "--auth", "ntlm", "--account", "Administrator"]);
            Assert.True(code == 4, log);
            Assert.Contains("refused the credentials of", log, StringComparison.Ordinal);
            Assert.DoesNotContain("{\"samAccountName\"", log, StringComparison.Ordinal);
            Assert.DoesNotContain(dc.AdministratorPassword, log, StringComparison.Ordinal);

            (code, log) = await AgentProcess.RunAsync(["sync", .. connection, "--auth", "ntlm", "--state", Path.Combine(folder, "ntlm.state")]);
            Assert.True(code == 4, log);
            Assert.Contains("refused the credentials of", log, StringComparison.Ordinal);

            foreach (string[] negotiate in new[] { ["--auth", "negotiate"], Array.Empty<string>() })
            {
                string output = Path.Combine(folder, $"negotiate{negotiate.Length}.jsonl");
                (code, log) = await AgentProcess.RunAsync(["replicate", .. connection, .. negotiate, "--account", "Administrator", "--output", output]);
                Assert.True(code == 0, log);
                Assert.DoesNotContain("signed in with NTLM", log, StringComparison.Ordinal);
                using JsonDocument line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(output)));
                Assert.Equal(Convert.ToHexString(NtHash.Compute(dc.AdministratorPassword)), line.RootElement.GetProperty("ntHash").GetString(), ignoreCase: true);
            }
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}
