using Microsoft.Extensions.DependencyInjection;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>Diagnostics (reference-phs-spec.md §6.2, §6.3, §6.5, §6.7) and the reason catalogue.</summary>
public class SyncDiagnosticsTests
{
    // §6.5 verbatim: the ten documented status values, and no others.
    [Fact]
    public void Rule_StatusCodes_AreExactlyTheTenDocumentedValues()
    {
        string[] documented = ["Success", "FilteredByTarget", "NoTargetConnection", "SourceConnectorNotPresent", "TargetNotExportedToDirectory",
            "MigratedCheckDetailsForMoreInfo", "Error", "Unknown", "MissingAttribute", "RetryRequestedByTarget"];
        Assert.Equal(documented.Order(), Enum.GetNames<PasswordSyncStatus>().Order());
    }

    [Fact]
    public void Rule_EveryReason_HasAStatusDescriptionAndRemedy()
    {
        foreach (SyncReason reason in Enum.GetValues<SyncReason>())
        {
            var finding = new SyncFinding(reason);
            Assert.True(Enum.IsDefined(finding.Status));
            Assert.False(string.IsNullOrWhiteSpace(finding.Description));
            Assert.False(string.IsNullOrWhiteSpace(finding.Remedy));
            Assert.NotEqual(finding.Description, finding.Remedy);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => SyncReasons.GetStatus((SyncReason)999));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyncReasons.PreventsSync((SyncReason)999));
    }

    // §6.7: Diagnose returns every reason that applies, not only the first, each with its remedy.
    [Fact]
    public void Rule_Diagnose_ReturnsEveryApplicableReason()
    {
        var settings = new PasswordHashSyncSettings { StagingMode = true, SelectivePasswordHashSync = SelectivePasswordHashSyncMode.ExcludeFiltered };
        DirectoryUser user = User("many", mustChange: true, adminDescription: "PHSFiltered",
            uac: UserAccountControl.NormalAccount | UserAccountControl.AccountDisabled,
            classes: ["top", "person", "organizationalPerson", "user", "inetOrgPerson"]);

        UserSyncDiagnosis diagnosis = new SyncDiagnostics().Diagnose(user, settings, context: new SyncUserContext { CloudFiltered = true });

        Assert.Equal(
            [SyncReason.StagingMode, SyncReason.NotUserObject, SyncReason.CloudFiltered, SyncReason.AccountDisabled, SyncReason.SelectiveSyncFiltered, SyncReason.TemporaryPassword],
            diagnosis.Findings.Select(f => f.Reason));
        Assert.Equal(PasswordSyncStatus.Unknown, diagnosis.Status);
        Assert.False(diagnosis.WillSync);
        Assert.Contains("PHSFiltered", diagnosis.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_Diagnose_TemporaryPasswordAlone_IsFilteredByTarget()
    {
        UserSyncDiagnosis diagnosis = new SyncDiagnostics().Diagnose(User("tmp", mustChange: true), new PasswordHashSyncSettings());

        SyncFinding finding = Assert.Single(diagnosis.Findings);
        Assert.Equal(PasswordSyncStatus.FilteredByTarget, diagnosis.Status);
        Assert.Contains("change the password", finding.Remedy, StringComparison.Ordinal);
    }

    // §6.7 #13 and #18, plus the retry queue: informational findings with their statuses.
    [Fact]
    public void Rule_Diagnose_ReportsRetryCloudOverrideAndMissingKerberosKeys()
    {
        DirectoryUser user = User("k", withKerberos: false);
        string anchor = SyncPlanner.GetSourceAnchor(user);
        var state = new SyncState();
        state.RetryQueue[anchor] = new SyncRetryEntry(anchor, PasswordChangeVersion.Of(user), 2, T0.AddHours(1));
        var settings = new PasswordHashSyncSettings { ManagedDomainEnabled = true };

        UserSyncDiagnosis diagnosis = new SyncDiagnostics(new SyncFakeKerberosKeyExtractor())
            .Diagnose(user, settings, state, new SyncUserContext { CloudPasswordChanged = T0.AddDays(1) });

        Assert.Equal([SyncReason.KerberosKeysMissing, SyncReason.ExportFailed, SyncReason.CloudPasswordOverridden], diagnosis.Findings.Select(f => f.Reason));
        Assert.Equal(PasswordSyncStatus.MissingAttribute, diagnosis.Status);
        Assert.True(diagnosis.WillSync);
        Assert.NotNull(diagnosis.Retry);
    }

    [Fact]
    public void Rule_Diagnose_HealthyUser_IsSuccess()
    {
        UserSyncDiagnosis diagnosis = new SyncDiagnostics().Diagnose(User("ok"), new PasswordHashSyncSettings());
        Assert.Empty(diagnosis.Findings);
        Assert.Equal(PasswordSyncStatus.Success, diagnosis.Status);
    }

    // §6.2 / §2 Heartbeat: a healthy channel has a heartbeat (or export) in the last three hours.
    [Fact]
    public void Rule_ChannelCheck_NeedsAHeartbeatInTheLastThreeHours()
    {
        var settings = new PasswordHashSyncSettings();
        var state = new SyncState { LastHeartbeat = T0 };

        Assert.True(SyncDiagnostics.CheckChannel(settings, state, T0.AddHours(3)).IsHealthy);
        ChannelSyncDiagnosis stale = SyncDiagnostics.CheckChannel(settings, state, T0.AddHours(3).AddMinutes(1));
        Assert.Equal([SyncReason.NoRecentHeartbeat], stale.Findings.Select(f => f.Reason));
        Assert.Equal([SyncReason.NoRecentHeartbeat], SyncDiagnostics.CheckChannel(settings, new SyncState(), T0).Findings.Select(f => f.Reason));
    }

    [Fact]
    public void Rule_ChannelCheck_ReportsEveryChannelProblem()
    {
        var settings = new PasswordHashSyncSettings
        {
            PasswordHashSyncEnabled = false,
            ConnectorChannelEnabled = false,
            StagingMode = true,
            FullDirectorySyncCompleted = false,
            HasReplicationPermissions = false,
        };

        ChannelSyncDiagnosis diagnosis = SyncDiagnostics.CheckChannel(settings, new SyncState { LastSuccessfulExport = T0 }, T0);

        Assert.Equal(
            [SyncReason.PasswordHashSyncNotEnabled, SyncReason.ConnectorChannelDisabled, SyncReason.StagingMode, SyncReason.FullDirectorySyncNotCompleted, SyncReason.MissingReplicationPermissions],
            diagnosis.Findings.Select(f => f.Reason));
        Assert.False(diagnosis.IsHealthy);
    }

    [Fact]
    public void AddPasswordHashSync_RegistersTheEngine_WithValidatedSettings()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDirectoryChangeSource>(new SyncMemoryDirectory());
        services.AddSingleton<IPasswordHashExporter>(new RecordingPasswordHashExporter());
        services.AddPasswordHashSync(o => o.Sync.StagingMode = true);
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.True(provider.GetRequiredService<PasswordHashSyncSettings>().StagingMode);
        Assert.IsType<InMemorySyncStateStore>(provider.GetRequiredService<ISyncStateStore>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.NotNull(provider.GetRequiredService<PasswordSyncRunner>());
        Assert.NotNull(provider.GetRequiredService<SyncDiagnostics>());
    }

    [Fact]
    public void AddPasswordHashSync_FileStore_AndTryAddKeepsExistingRegistrations()
    {
        var services = new ServiceCollection();
        var store = new InMemorySyncStateStore();
        services.AddSingleton<ISyncStateStore>(store);
        services.AddPasswordHashSync(o => o.SyncStateFilePath = "/tmp/ignored.json");
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Same(store, provider.GetRequiredService<ISyncStateStore>());

        var other = new ServiceCollection().AddPasswordHashSync(o => o.SyncStateFilePath = Path.Combine(Path.GetTempPath(), "phs-state-" + Guid.NewGuid().ToString("N"), "state.json"));
        using ServiceProvider provider2 = other.BuildServiceProvider();
        Assert.IsType<FileSyncStateStore>(provider2.GetRequiredService<ISyncStateStore>());
    }

    [Fact]
    public void AddPasswordHashSync_InvalidSyncSettings_ThrowAtRegistration()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddPasswordHashSync(o => o.Sync.CycleInterval = TimeSpan.Zero));
        Assert.Equal(nameof(PasswordHashSyncSettings.CycleInterval), e.ParamName);
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddPasswordHashSync(o => o.SyncStateFilePath = ""));
    }

    [Fact]
    public void AddPasswordHashSync_RunnerWithoutExporter_FailsClearly()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDirectoryChangeSource>(new SyncMemoryDirectory());
        services.AddPasswordHashSync();
        using ServiceProvider provider = services.BuildServiceProvider();

        var e = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<PasswordSyncRunner>());
        Assert.Contains("IPasswordHashExporter", e.Message, StringComparison.Ordinal);
    }
}
