using PasswordHashSync.Cli.Agent;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Agent;

/// <summary>
/// Rule: when the agent's Negotiate credential signs in with NTLM because Kerberos was not possible, the agent says so
/// (event 2009, warning, with the reason and no secret), once per reason rather than once per cycle; a Kerberos sign-in
/// in between re-arms it. An explicit NTLM or Kerberos credential never logs it.
/// </summary>
public class AgentKerberosFallbackLogTests
{
    private const string Password = "Fallback-Secret-Pw1";

    [Fact]
    public async Task A_fallback_to_NTLM_is_logged_once_with_its_reason()
    {
        // Nothing listens on port 9: the KDC is unreachable, which is "Kerberos not possible", so NTLM is used.
        using var credential = new NegotiateCredential(
            KerberosCredential.FromPassword("svc-phs", "CORP.EXAMPLE.COM", Password, "127.0.0.1:9"),
            new NtlmCredential("svc-phs", "CORP", Password));
        using (IRpcSecurityContext context = await credential.CreateSecurityContextAsync(new RpcSecurityTarget("dc1.corp.example.com", null), default))
        {
            Assert.Equal("NTLM", credential.LastMechanism);
        }

        var logs = new CapturingLoggerProvider();
        await using var source = new DomainControllerChangeSource(
            new DrsReplicationOptions { DomainController = "dc1.corp.example.com", DnsDomain = "corp.example.com" }, credential, ownsCredential: false)
        {
            Logger = logs.CreateLogger("test"),
        };

        source.ReportSignIn();
        source.ReportSignIn();

        CapturedLogEvent logged = Assert.Single(logs.Events);
        Assert.Equal(AgentLog.KerberosFallbackId, logged.EventId.Id);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, logged.Level);
        Assert.StartsWith("Kerberos was not possible (", logged.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:9", logged.Message, StringComparison.Ordinal);
        Assert.Contains("signed in to the domain controller with NTLM", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explicit_NTLM_credential_logs_nothing()
    {
        using var credential = new NtlmCredential("svc-phs", "CORP", Password);
        var logs = new CapturingLoggerProvider();
        await using var source = new DomainControllerChangeSource(
            new DrsReplicationOptions { DomainController = "dc1.corp.example.com", DnsDomain = "corp.example.com" }, credential, ownsCredential: false)
        {
            Logger = logs.CreateLogger("test"),
        };

        source.ReportSignIn();

        Assert.Empty(logs.Events);
    }
}
