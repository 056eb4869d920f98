using System.Text;
using System.Text.Json;
using PasswordHashSync.IntegrationTests.Agent;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// The built <c>pwsync replicate</c> as a process, signing in with Kerberos as the RC4-only account of the shared DC:
/// with <c>--allow-rc4</c> it replicates the account (exit 0); without it, with <c>--auth kerberos</c> or the default
/// negotiate, it exits 4 with the weak-only message on standard error and nothing on standard output (no NTLM fallback).
/// </summary>
[Collection(ReplicationDomainControllerGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PwsyncAllowRc4CliTests(ReplicationDomainController dc) : IDisposable
{
    private readonly (string Name, string Password) _account = Rc4OnlyAccount.Ensure(dc);
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("phs-cli-rc4-").FullName;

    [Fact]
    public void Replicate_with_auth_kerberos_and_allow_rc4_replicates_the_RC4_only_account()
    {
        ExternalTool.Result result = Pwsync("--auth", "kerberos", "--allow-rc4");
        Assert.True(result.ExitCode == 0, result.StandardError);
        JsonElement line = JsonDocument.Parse(Assert.Single(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        Assert.Equal(_account.Name, line.GetProperty("samAccountName").GetString());
        Assert.Equal(Convert.ToHexStringLower(NtHash.Compute(_account.Password)), line.GetProperty("ntHash").GetString());
        Assert.DoesNotContain("signed in with NTLM", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kerberos")]
    [InlineData("negotiate")]
    public void Replicate_without_allow_rc4_exits_4_with_the_weak_only_message_and_no_NTLM_fallback(string auth)
    {
        ExternalTool.Result result = Pwsync("--auth", auth);
        Assert.True(result.ExitCode == 4, result.StandardError);
        Assert.Equal(string.Empty, result.StandardOutput);
        string realm = ReplicationDomainController.Realm;
        Assert.Contains(
            $"pwsync replicate: Cannot sign in with Kerberos as {_account.Name}@{realm}: the KDC {dc.Address}:88 offers only weak encryption for {_account.Name}@{realm}: RC4-HMAC (etype 23), no AES key",
            result.StandardError,
            StringComparison.Ordinal);
        Assert.Contains("or allow RC4 explicitly (AllowRc4 on the Kerberos credential; pwsync --allow-rc4).", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("signed in with NTLM", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(_account.Password, result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    private ExternalTool.Result Pwsync(params string[] options)
    {
        string passwordFile = Path.Combine(_folder, "password");
        File.WriteAllText(passwordFile, _account.Password, new UTF8Encoding(false));
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string[] arguments =
        [
            AgentProcess.PwsyncDll, "replicate", "--dc", dc.Address.ToString(), "--domain", ReplicationDomainController.DnsDomain,
            "--user", _account.Name, "--password-file", passwordFile, "--account", _account.Name, .. options,
        ];
        return ExternalTool.Run(AgentProcess.DotnetHost(), arguments, timeout: TimeSpan.FromMinutes(2), environment: new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" });
    }
}
