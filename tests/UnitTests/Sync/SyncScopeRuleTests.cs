using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>Which users sync a password at all (reference-phs-spec.md §2 and §3): object type, disabled accounts, selective sync, channel conditions, scope changes and damaged input; one test per documented rule, each name says the rule.</summary>
public class SyncScopeRuleTests : SyncRuleTestBase
{
    // §3.1: "only supported for the object type user … It isn't supported for the iNetOrgPerson object type."
    [Theory]
    [InlineData("inetOrgPerson", new[] { "top", "person", "organizationalPerson", "user", "inetOrgPerson" })]
    [InlineData("contact", new[] { "top", "person", "organizationalPerson", "contact" })]
    [InlineData("computer", new[] { "top", "person", "organizationalPerson", "user", "computer" })]
    [InlineData("group", new[] { "top", "group" })]
    public void Rule_ObjectType_OnlyUserObjectsSyncAPassword(string kind, string[] classes)
    {
        SyncDecision decision = Planner.Decide(User(kind, classes: classes), Settings());

        Assert.Equal(SyncAction.Skip, decision.Action);
        Assert.Contains(SyncReason.NotUserObject, decision.Reasons);
        Assert.Null(decision.CloudRecord);
    }

    // §3.2 [Inference]: the default rule's scope requires userAccountControl bit 2 clear; modelled as a setting.
    [Fact]
    public void Rule_DisabledAccount_IsOutOfScope_ByDefault()
    {
        SyncDecision decision = Planner.Decide(User("off", uac: UserAccountControl.NormalAccount | UserAccountControl.AccountDisabled), Settings());

        Assert.Equal(SyncAction.Skip, decision.Action);
        Assert.Equal([SyncReason.AccountDisabled], decision.Reasons);
    }

    [Fact]
    public void Rule_DisabledAccount_IsSynced_WhenSyncDisabledAccountsIsOn()
    {
        SyncDecision decision = Planner.Decide(User("off", uac: UserAccountControl.NormalAccount | UserAccountControl.AccountDisabled), Settings(s => s.SyncDisabledAccounts = true));

        Assert.Equal(SyncAction.Export, decision.Action);
    }

    // §3.2 SEL-PHS: adminDescription PHSFiltered excludes; PHSIncluded includes only; other values are not matched.
    [Theory]
    [InlineData(SelectivePasswordHashSyncMode.None, "PHSFiltered", true)]
    [InlineData(SelectivePasswordHashSyncMode.ExcludeFiltered, "PHSFiltered", false)]
    [InlineData(SelectivePasswordHashSyncMode.ExcludeFiltered, "phsfiltered", false)]
    [InlineData(SelectivePasswordHashSyncMode.ExcludeFiltered, "PHSFiltered-old", true)]
    [InlineData(SelectivePasswordHashSyncMode.ExcludeFiltered, null, true)]
    [InlineData(SelectivePasswordHashSyncMode.IncludeOnly, "PHSIncluded", true)]
    [InlineData(SelectivePasswordHashSyncMode.IncludeOnly, null, false)]
    [InlineData(SelectivePasswordHashSyncMode.IncludeOnly, "PHSFiltered", false)]
    public void Rule_SelectiveSync_UsesAdminDescriptionMarkers(SelectivePasswordHashSyncMode mode, string? adminDescription, bool synced)
    {
        SyncDecision decision = Planner.Decide(User("sel", adminDescription: adminDescription), Settings(s => s.SelectivePasswordHashSync = mode));

        Assert.Equal(synced ? SyncAction.Export : SyncAction.Skip, decision.Action);
        if (!synced)
        {
            Assert.Contains(decision.Reasons, r => r is SyncReason.SelectiveSyncFiltered or SyncReason.SelectiveSyncNotIncluded);
        }
    }

    // §3.5 staging, §3.6 permissions, §2 gate on directory sync, §6.7 #1 feature/channel off: nothing is sent.
    [Theory]
    [InlineData(nameof(PasswordHashSyncSettings.StagingMode), SyncReason.StagingMode)]
    [InlineData(nameof(PasswordHashSyncSettings.HasReplicationPermissions), SyncReason.MissingReplicationPermissions)]
    [InlineData(nameof(PasswordHashSyncSettings.FullDirectorySyncCompleted), SyncReason.FullDirectorySyncNotCompleted)]
    [InlineData(nameof(PasswordHashSyncSettings.PasswordHashSyncEnabled), SyncReason.PasswordHashSyncNotEnabled)]
    [InlineData(nameof(PasswordHashSyncSettings.ConnectorChannelEnabled), SyncReason.ConnectorChannelDisabled)]
    public void Rule_ChannelLevelConditions_SendNothing(string setting, SyncReason reason)
    {
        PasswordHashSyncSettings settings = Settings(s =>
        {
            var property = typeof(PasswordHashSyncSettings).GetProperty(setting)!;
            property.SetValue(s, !(bool)property.GetValue(s)!);
        });
        SyncDecision decision = Planner.Decide(User("alice"), settings);

        Assert.Equal(SyncAction.Skip, decision.Action);
        Assert.Equal([reason], decision.Reasons);
        Assert.Null(decision.CloudRecord);
    }

    // §3.8 KB-PWDSYNC scenario 6: an account without a password hash has nothing to sync.
    [Fact]
    public void Rule_NoPasswordHash_IsNotSynced()
    {
        SyncDecision decision = Planner.Decide(User("old", password: null), Settings());

        Assert.Equal(SyncAction.Skip, decision.Action);
        Assert.Equal([SyncReason.NoPasswordHash], decision.Reasons);
    }

    // §6.5 / §6.7 #10: connector-space and cloud presence map to the documented statuses.
    [Fact]
    public void Rule_NotInScope_MapsToDocumentedStatuses()
    {
        DirectoryUser user = User("alice");
        Assert.Equal(PasswordSyncStatus.SourceConnectorNotPresent, Planner.Decide(user, Settings(), context: new SyncUserContext { InConnectorSpace = false }).Status);
        Assert.Equal(PasswordSyncStatus.NoTargetConnection, Planner.Decide(user, Settings(), context: new SyncUserContext { CloudFiltered = true }).Status);
        Assert.Equal(PasswordSyncStatus.NoTargetConnection, Planner.Decide(user, Settings(), context: new SyncUserContext { HasCloudObject = false }).Status);
        Assert.Equal(PasswordSyncStatus.TargetNotExportedToDirectory, Planner.Decide(user, Settings(), context: new SyncUserContext { CloudObjectExported = false }).Status);
    }

    // §2 full-sync trigger 7: a user entering scope gets its current password sent even without a new change.
    [Fact]
    public void Rule_UserEnteringScope_GetsAnInitialSync()
    {
        PasswordHashSyncSettings settings = Settings(s => s.SelectivePasswordHashSync = SelectivePasswordHashSyncMode.IncludeOnly);
        SyncDecision synced = Planner.Decide(User("a", adminDescription: "PHSIncluded"), settings);
        SyncDecision left = Planner.Decide(User("a"), settings, synced.StateAfterSuccess);
        Assert.False(left.StateAfterSuccess.InScope);

        SyncDecision back = Planner.Decide(User("a", adminDescription: "PHSIncluded"), settings, left.StateAfterSuccess);
        Assert.Equal(SyncAction.Export, back.Action);
        Assert.Contains(SyncReason.EnteredScope, back.Reasons);
    }

    // One damaged user must not stop the channel: it is skipped with a reason and the others are planned.
    [Fact]
    public void Plan_MalformedNtHash_SkipsThatUserOnly()
    {
        var bad = new DirectoryUser { DistinguishedName = "CN=bad,DC=contoso,DC=com", ObjectClasses = ["top", "user"], NtHash = new byte[15], PasswordLastChanged = T0 };
        using SyncPlan plan = Planner.Plan([bad, User("good")], Settings());

        Assert.Equal(SyncAction.Skip, plan.Decisions[0].Action);
        Assert.Equal([SyncReason.InvalidPasswordHash], plan.Decisions[0].Reasons);
        Assert.Equal(PasswordSyncStatus.Error, plan.Decisions[0].Status);
        Assert.Equal(SyncAction.Export, plan.Decisions[1].Action);
    }
}
