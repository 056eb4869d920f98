using Microsoft.Extensions.DependencyInjection;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>Diagnostics (reference-phs-spec.md §6.2, §6.3, §6.5, §6.7) and the reason catalogue.</summary>
public class SyncDiagnosticsTests
{
    // §6.5 verbatim: the ten documented status values, plus exactly the library's two for "no attempt" (issue 14, item 7).
    [Fact]
    public void Rule_StatusCodes_AreTheTenDocumentedValuesAndTheTwoNoAttemptValues()
    {
        string[] documented = ["Success", "FilteredByTarget", "NoTargetConnection", "SourceConnectorNotPresent", "TargetNotExportedToDirectory",
            "MigratedCheckDetailsForMoreInfo", "Error", "Unknown", "MissingAttribute", "RetryRequestedByTarget"];
        Assert.Equal(documented.Concat(["OutOfScope", "NotAttempted"]).Order(), Enum.GetNames<PasswordSyncStatus>().Order());
    }

    // Unknown is the product's "error while processing a batch": no reason maps to it (disabled and computer accounts said Unknown).
    [Theory]
    [InlineData(SyncReason.NotUserObject, PasswordSyncStatus.OutOfScope)]
    [InlineData(SyncReason.AccountDisabled, PasswordSyncStatus.OutOfScope)]
    [InlineData(SyncReason.SelectiveSyncFiltered, PasswordSyncStatus.OutOfScope)]
    [InlineData(SyncReason.SelectiveSyncNotIncluded, PasswordSyncStatus.OutOfScope)]
    [InlineData(SyncReason.StagingMode, PasswordSyncStatus.NotAttempted)]
    [InlineData(SyncReason.FullDirectorySyncNotCompleted, PasswordSyncStatus.NotAttempted)]
    public void Rule_NoAttemptReasons_SayWhatHappened(SyncReason reason, PasswordSyncStatus status)
    {
        Assert.Equal(status, SyncReasons.GetStatus(reason));
        Assert.DoesNotContain(Enum.GetValues<SyncReason>(), r => SyncReasons.GetStatus(r) == PasswordSyncStatus.Unknown);
    }

    [Fact]
    public void Rule_DisabledAndComputerAccounts_AreOutOfScope_NotUnknown()
    {
        DirectoryUser disabled = User("grace", uac: UserAccountControl.NormalAccount | UserAccountControl.AccountDisabled);
        DirectoryUser computer = User("WS01$", uac: UserAccountControl.WorkstationTrustAccount, classes: ["top", "person", "organizationalPerson", "user", "computer"]);

        foreach (DirectoryUser user in new[] { disabled, computer })
        {
            SyncDecision decision = new SyncPlanner().Decide(user, new PasswordHashSyncSettings());
            Assert.Equal(SyncAction.Skip, decision.Action);
            Assert.Equal(PasswordSyncStatus.OutOfScope, decision.Status);
            Assert.Equal(PasswordSyncStatus.OutOfScope, new SyncDiagnostics().Diagnose(user, new PasswordHashSyncSettings()).Status);
        }
    }

    // The remedies of the troubleshooting document (seeds/004, "Password synchronization"), not just any text.
    [Fact]
    public void Rule_TemporaryPasswordRemedy_IncludesTheAdminResetWithoutTheFlag()
    {
        string remedy = SyncReasons.GetRemedy(SyncReason.TemporaryPassword);
        Assert.Contains("sign in on premises", remedy, StringComparison.Ordinal);
        Assert.Contains("administrator reset the password without selecting \"User must change password at next logon\"", remedy, StringComparison.Ordinal);
        Assert.Contains("share the new password with the user", remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_PasswordHashSyncOffRemedy_IncludesTheSignInMethodChange()
    {
        string remedy = SyncReasons.GetRemedy(SyncReason.PasswordHashSyncNotEnabled);
        Assert.Contains("changes the user sign-in method from password hash synchronization to another option, such as federation with AD FS", remedy, StringComparison.Ordinal);
        Assert.Contains("set password hash synchronization again in the wizard (Change user sign-in)", remedy, StringComparison.Ordinal);
        Assert.Contains("Change user sign-in", SyncReasons.GetRemedy(SyncReason.ConnectorChannelDisabled), StringComparison.Ordinal);
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
        Assert.Equal(PasswordSyncStatus.NotAttempted, diagnosis.Status);
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
