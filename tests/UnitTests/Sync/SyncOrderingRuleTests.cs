using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>The order of password changes (reference-phs-spec.md §2 and §4.4): per user, chronological, newest wins, cloud resets held; one test per documented rule, each name says the rule.</summary>
public class SyncOrderingRuleTests : SyncRuleTestBase
{
    // §2 Ordering: "per-user basis and in chronological order"; several changes in one cycle collapse to the latest.
    [Fact]
    public void Rule_Ordering_SeveralChangesInOneCycle_CollapseToTheLatest()
    {
        DirectoryUser[] changes = [User("a", "one", T0), User("b", "x", T0), User("a", "three", T0.AddMinutes(2)), User("a", "two", T0.AddMinutes(1))];
        using SyncPlan plan = Planner.Plan(changes, Settings());

        Assert.Equal(2, plan.Decisions.Count);
        SyncDecision a = plan.Decisions[0];
        Assert.Equal(T0.AddMinutes(2), a.Version.ChangeTime);
        AssertDigestOf("three", a.CloudRecord!);
    }

    // §2 / §4.4: an older change never overwrites a newer one.
    [Fact]
    public void Rule_Ordering_AnOlderChangeNeverOverwritesANewerOne()
    {
        SyncDecision newer = Planner.Decide(User("a", "new", T0.AddHours(1)), Settings());
        SyncDecision older = Planner.Decide(User("a", "old", T0), Settings(), newer.StateAfterSuccess);

        Assert.Equal(SyncAction.Superseded, older.Action);
        Assert.Null(older.CloudRecord);
    }

    // Re-applying the same change is harmless: incremental runs skip it, a full sync sends the same password again.
    [Fact]
    public void Rule_Ordering_ReapplyingTheSameChangeIsHarmless()
    {
        SyncDecision first = Planner.Decide(User("a", "pw"), Settings());
        SyncDecision again = Planner.Decide(User("a", "pw"), Settings(), first.StateAfterSuccess);
        SyncDecision full = Planner.Decide(User("a", "pw"), Settings(), first.StateAfterSuccess, fullSync: true);

        Assert.Equal(SyncAction.UpToDate, again.Action);
        Assert.Equal(SyncAction.Export, full.Action);
        AssertDigestOf("pw", full.CloudRecord!);
        Assert.Equal(first.StateAfterSuccess, full.StateAfterSuccess);
    }

    // §4.4: a cloud admin reset holds until the next on-premises change, which then wins.
    [Fact]
    public void Rule_CloudReset_HoldsUntilTheNextOnPremisesChange()
    {
        var reset = new SyncUserContext { CloudPasswordChanged = T0.AddHours(1) };
        SyncDecision held = Planner.Decide(User("a", "old", T0), Settings(), context: reset, fullSync: true);
        Assert.Equal(SyncAction.Superseded, held.Action);
        Assert.Equal([SyncReason.CloudPasswordOverridden], held.Reasons);

        SyncDecision wins = Planner.Decide(User("a", "newer", T0.AddHours(2)), Settings(), held.StateAfterSuccess, reset);
        Assert.Equal(SyncAction.Export, wins.Action);
        AssertDigestOf("newer", wins.CloudRecord!);
    }

    // A "must change" user read without replication metadata has no change time: it is never treated as older and
    // never skipped as already applied, so an admin reset with "must change" is not missed.
    [Fact]
    public void Rule_Ordering_UnknownChangeTime_IsNeverDroppedAsOld()
    {
        PasswordHashSyncSettings settings = Settings(s => s.ForcePasswordChangeOnLogOn = true);
        SyncDecision synced = Planner.Decide(User("a", "one", T0.AddDays(1)), settings);
        var resetWithMustChange = new DirectoryUser
        {
            DistinguishedName = "CN=a,CN=Users,DC=contoso,DC=com",
            ObjectClasses = ["top", "person", "organizationalPerson", "user"],
            ObjectGuid = GuidFor("a"),
            NtHash = ReferenceNtHash("two"),
            PwdLastSet = 0,
        };

        SyncDecision first = Planner.Decide(resetWithMustChange, settings, synced.StateAfterSuccess, new SyncUserContext { CloudPasswordChanged = T0.AddDays(2) });
        Assert.False(first.Version.IsTimeKnown);
        Assert.Equal(SyncAction.Export, first.Action);
        AssertDigestOf("two", first.CloudRecord!);

        SyncDecision again = Planner.Decide(resetWithMustChange, settings, first.StateAfterSuccess);
        Assert.Equal(SyncAction.Export, again.Action);
    }

    [Fact]
    public void Rule_Ordering_AnOlderPasswordInMustChangeState_IsStillOlder()
    {
        var oldMustChange = new PasswordChangeVersion(T0, true, T0);
        var newer = new PasswordChangeVersion(T0.AddHours(5), false, T0.AddHours(4));
        Assert.True(oldMustChange.IsOlderThan(newer));
        Assert.False(newer.IsOlderThan(oldMustChange));
    }
}
