using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>Temporary passwords and "must change at next logon" (reference-phs-spec.md §3.3): filtered or forced, and the unexpire rules; one test per documented rule, each name says the rule.</summary>
public class SyncTemporaryPasswordRuleTests : SyncRuleTestBase
{
    // §3.3 TSHOOT: FilteredByTarget "Password is set to User must change password at next logon".
    [Fact]
    public void Rule_TemporaryPassword_IsFilteredByTarget_WhenFeatureOff()
    {
        SyncDecision decision = Planner.Decide(User("tmp", mustChange: true), Settings());

        Assert.Equal(SyncAction.Skip, decision.Action);
        Assert.Equal(PasswordSyncStatus.FilteredByTarget, decision.Status);
        Assert.Equal([SyncReason.TemporaryPassword], decision.Reasons);
    }

    // §3.3: ≥ 2.0.3.0 with ForcePasswordChangeOnLogOn the temporary password syncs with the force-change flag.
    [Fact]
    public void Rule_TemporaryPassword_IsSyncedWithForceChange_WhenFeatureOn()
    {
        SyncDecision decision = Planner.Decide(User("tmp", mustChange: true), Settings(s => s.ForcePasswordChangeOnLogOn = true));

        Assert.Equal(SyncAction.Export, decision.Action);
        Assert.True(decision.CloudRecord!.ForceChangePasswordNextSignIn);
        Assert.True(decision.Version.MustChange);
    }

    // §3.3 (PHS-2023): with "Password never expires" the force-change flag is not set.
    [Fact]
    public void Rule_TemporaryPassword_WithPasswordNeverExpires_DoesNotForceChange()
    {
        DirectoryUser user = User("tmp", mustChange: true, uac: UserAccountControl.NormalAccount | UserAccountControl.DontExpirePassword);
        SyncDecision decision = Planner.Decide(user, Settings(s => s.ForcePasswordChangeOnLogOn = true));

        Assert.Equal(SyncAction.Export, decision.Action);
        Assert.False(decision.CloudRecord!.ForceChangePasswordNextSignIn);
    }

    // §3.3 (2.0.3.0 "unexpire"): clearing "must change" re-syncs the same hash and the unexpired status.
    [Fact]
    public void Rule_Unexpire_ClearingMustChange_ResyncsTheSameHashWithoutForceChange()
    {
        PasswordHashSyncSettings settings = Settings(s => s.ForcePasswordChangeOnLogOn = true);
        SyncDecision first = Planner.Decide(User("u", mustChange: true), settings);
        Assert.True(first.CloudRecord!.ForceChangePasswordNextSignIn);

        // Same password and unicodePwd change time; only pwdLastSet moves from 0 to a time.
        DirectoryUser cleared = User("u");
        SyncDecision second = Planner.Decide(cleared, settings, first.StateAfterSuccess);

        Assert.Equal(SyncAction.Export, second.Action);
        Assert.False(second.CloudRecord!.ForceChangePasswordNextSignIn);
    }

    [Fact]
    public void Rule_Unexpire_AfterFilteredTemporaryPassword_SyncsOnceTheFlagIsCleared()
    {
        PasswordHashSyncSettings settings = Settings();
        SyncDecision filtered = Planner.Decide(User("u", mustChange: true), settings);
        Assert.Equal(SyncAction.Skip, filtered.Action);

        SyncDecision cleared = Planner.Decide(User("u", changed: T0.AddHours(1)), settings, filtered.StateAfterSuccess);
        Assert.Equal(SyncAction.Export, cleared.Action);
        Assert.False(cleared.CloudRecord!.ForceChangePasswordNextSignIn);
    }

    // §3.3 (2.0.3.0): setting "must change" again after it was cleared, without a new password, still syncs the flag,
    // and it is newer than a cloud reset made before the clear was synchronized.
    [Fact]
    public void Rule_MustChange_SetAgainAfterUnexpire_IsSynced()
    {
        PasswordHashSyncSettings settings = Settings(s => s.ForcePasswordChangeOnLogOn = true);
        DirectoryUser cleared = User("a", changed: T0);
        DirectoryUser clearedLater = new()
        {
            DistinguishedName = cleared.DistinguishedName,
            ObjectClasses = cleared.ObjectClasses,
            ObjectGuid = cleared.ObjectGuid,
            NtHash = cleared.NtHash,
            PasswordLastChanged = T0,
            PwdLastSet = T0.AddHours(3).ToFileTime(),
        };
        DirectoryUser setAgain = new()
        {
            DistinguishedName = cleared.DistinguishedName,
            ObjectClasses = cleared.ObjectClasses,
            ObjectGuid = cleared.ObjectGuid,
            NtHash = cleared.NtHash,
            PasswordLastChanged = T0,
            PwdLastSet = 0,
        };
        var resetBeforeTheClear = new SyncUserContext { CloudPasswordChanged = T0.AddHours(2) };

        SyncDecision unexpired = Planner.Decide(clearedLater, settings, context: resetBeforeTheClear);
        Assert.Equal(SyncAction.Export, unexpired.Action);
        SyncDecision flagged = Planner.Decide(setAgain, settings, unexpired.StateAfterSuccess, resetBeforeTheClear);

        Assert.False(setAgain.PwdLastSet != 0);
        Assert.False(PasswordChangeVersion.Of(setAgain).IsOlderThan(unexpired.Version));
        Assert.Equal(SyncAction.Export, flagged.Action);
        Assert.True(flagged.CloudRecord!.ForceChangePasswordNextSignIn);
    }
}
