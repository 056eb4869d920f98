using Microsoft.Extensions.Configuration;
using PasswordHashSync.Cli.Agent;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Agent;

/// <summary>The sample configuration in the repository binds and validates, and the unit names the documented codes.</summary>
public sealed class AgentSampleConfigurationTests
{
    [Fact]
    public void SampleConfiguration_BindsAndValidates()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.Root, "samples", "agent", "agent.json"))
            .Build();

        AgentOptions options = AgentOptions.Bind(configuration);

        Assert.Empty(options.Validate());
        Assert.Equal("/var/lib/pwsync/state.json", options.StatePath);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Sync.CycleInterval);

        // The sample shows the domain controller source signing in with Kerberos, its keytab the unit's systemd
        // credential, and no password anywhere; the unit's comments show the password file instead.
        Assert.Equal(AgentSourceKind.DomainController, options.SourceKind);
        Assert.Null(options.DomainController.Password);
        Assert.Null(options.DomainController.PasswordFile);
        Assert.Equal(PasswordHashSync.Cli.Sync.DirectoryAuthentication.Kerberos, options.DomainController.Authentication);
        string unit = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "agent", "pwsync-agent.service"));
        Assert.Contains("\nLoadCredential=agent.keytab:/etc/pwsync/agent.keytab\n", unit, StringComparison.Ordinal);
        Assert.Equal("/run/credentials/pwsync-agent.service/agent.keytab", options.DomainController.KeytabFile);
        Assert.Contains("#     LoadCredential=dc-password:/etc/pwsync/dc-password", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentVariables_WithThePrefix_OverrideTheFile()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.Root, "samples", "agent", "agent.json"))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Sync:StagingMode"] = "true" }) // what PWSYNC_Sync__StagingMode becomes
            .Build();

        Assert.True(AgentOptions.Bind(configuration).Sync.StagingMode);
        Assert.Equal("PWSYNC_", AgentOptions.EnvironmentPrefix);
    }

    [Fact]
    public void SystemdUnit_IsNotify_AndDoesNotRestartOnTheRefusals()
    {
        string unit = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "agent", "pwsync-agent.service"));

        Assert.Contains("Type=notify", unit, StringComparison.Ordinal);
        Assert.Contains($"RestartPreventExitStatus={PasswordHashSync.Cli.ExitCodes.DataError} {PasswordHashSync.Cli.ExitCodes.StateLocked}", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKey_IsRefusedWithItsPath()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Sync:CycleIntervall"] = "00:01:00" }).Build();

        var e = Assert.Throws<InvalidOperationException>(() => AgentOptions.Bind(configuration));
        Assert.Contains("CycleIntervall", e.Message, StringComparison.Ordinal);
    }
}
