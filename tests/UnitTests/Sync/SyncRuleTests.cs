using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>One test per documented rule of reference-phs-spec.md §3–§5; each name says the rule.</summary>
public class SyncRuleTests
{
    private readonly SyncFakeKerberosKeyExtractor _extractor = new();
    private readonly SyncPlanner _planner;

    public SyncRuleTests() => _planner = new SyncPlanner(_extractor, new SyncCountingRandomSource());

    private static PasswordHashSyncSettings Settings(Action<PasswordHashSyncSettings>? change = null)
    {
        var settings = new PasswordHashSyncSettings();
        change?.Invoke(settings);
        return settings;
    }

    // §1.2 / §10 "OrgId digest": PBKDF2-HMAC-SHA256(UTF-16LE(UPPER hex(NT)), salt, 1000, 32), recomputed here independently.
    [Fact]
    public void Rule_CloudDigest_IsPbkdf2OfUppercaseHexNtHash_WithFreshSalt()
    {
        SyncDecision decision = _planner.Decide(User("alice", "Pa$$w0rd"), Settings());

        Assert.Equal(SyncAction.Export, decision.Action);
        var digest = decision.CloudRecord!.Digest;
        byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(ReferenceNtHash("Pa$$w0rd")));
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(input, digest.Salt.ToArray(), 1000, HashAlgorithmName.SHA256, 32);
        Assert.Equal(expected, digest.Hash.ToArray());
        Assert.Equal(10, digest.Salt.Length);
        Assert.StartsWith("v1;PPH1_MD4,", digest.ToWireString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_UserObject_IsSynced_WithDisablePasswordExpiration_ByDefault()
    {
        SyncDecision decision = _planner.Decide(User("alice"), Settings());

        Assert.Equal(SyncAction.Export, decision.Action);
        Assert.Equal(PasswordSyncStatus.Success, decision.Status);
        Assert.Equal(CloudPasswordPolicies.DisablePasswordExpiration, decision.CloudRecord!.PasswordPolicies);
        Assert.False(decision.CloudRecord.ForceChangePasswordNextSignIn);
        Assert.Empty(decision.Reasons);
        Assert.Equal(Convert.ToBase64String(GuidFor("alice").ToByteArray()), decision.SourceAnchor);
    }

    // §3.1: "only supported for the object type user … It isn't supported for the iNetOrgPerson object type."
    [Theory]
    [InlineData("inetOrgPerson", new[] { "top", "person", "organizationalPerson", "user", "inetOrgPerson" })]
    [InlineData("contact", new[] { "top", "person", "organizationalPerson", "contact" })]
    [InlineData("computer", new[] { "top", "person", "organizationalPerson", "user", "computer" })]
    [InlineData("group", new[] { "top", "group" })]
    public void Rule_ObjectType_OnlyUserObjectsSyncAPassword(string kind, string[] classes)
    {
        SyncDecision decision = _planner.Decide(User(kind, classes: classes), Settings());

        Assert.Equal(SyncAction.Skip, decision.Action);
        Assert.Contains(SyncReason.NotUserObject, decision.Reasons);
        Assert.Null(decision.CloudRecord);
    }

    // §3.3 TSHOOT: FilteredByTarget "Password is set to User must change password at next logon".
    [Fact]
    public void Rule_TemporaryPassword_IsFilteredByTarget_WhenFeatureOff()
    {
        SyncDecision decision = _planner.Decide(User("tmp", mustChange: true), Settings());

        Assert.Equal(SyncAction.Skip, decision.Action);
        Assert.Equal(PasswordSyncStatus.FilteredByTarget, decision.Status);
        Assert.Equal([SyncReason.TemporaryPassword], decision.Reasons);
    }

    // §3.3: ≥ 2.0.3.0 with ForcePasswordChangeOnLogOn the temporary password syncs with the force-change flag.
    [Fact]
    public void Rule_TemporaryPassword_IsSyncedWithForceChange_WhenFeatureOn()
    {
        SyncDecision decision = _planner.Decide(User("tmp", mustChange: true), Settings(s => s.ForcePasswordChangeOnLogOn = true));

        Assert.Equal(SyncAction.Export, decision.Action);
        Assert.True(decision.CloudRecord!.ForceChangePasswordNextSignIn);
        Assert.True(decision.Version.MustChange);
    }

    // §3.3 (PHS-2023): with "Password never expires" the force-change flag is not set.
    [Fact]
    public void Rule_TemporaryPassword_WithPasswordNeverExpires_DoesNotForceChange()
    {
        DirectoryUser user = User("tmp", mustChange: true, uac: UserAccountControl.NormalAccount | UserAccountControl.DontExpirePassword);
        SyncDecision decision = _planner.Decide(user, Settings(s => s.ForcePasswordChangeOnLogOn = true));

        Assert.Equal(SyncAction.Export, decision.Action);
        Assert.False(decision.CloudRecord!.ForceChangePasswordNextSignIn);
    }

    // §3.3 (2.0.3.0 "unexpire"): clearing "must change" re-syncs the same hash and the unexpired status.
    [Fact]
    public void Rule_Unexpire_ClearingMustChange_ResyncsTheSameHashWithoutForceChange()
    {
        PasswordHashSyncSettings settings = Settings(s => s.ForcePasswordChangeOnLogOn = true);
        SyncDecision first = _planner.Decide(User("u", mustChange: true), settings);
        Assert.True(first.CloudRecord!.ForceChangePasswordNextSignIn);

        // Same password and unicodePwd change time; only pwdLastSet moves from 0 to a time.
        DirectoryUser cleared = User("u");
        SyncDecision second = _planner.Decide(cleared, settings, first.StateAfterSuccess);

        Assert.Equal(SyncAction.Export, second.Action);
        Assert.False(second.CloudRecord!.ForceChangePasswordNextSignIn);
    }

    [Fact]
    public void Rule_Unexpire_AfterFilteredTemporaryPassword_SyncsOnceTheFlagIsCleared()
    {
        PasswordHashSyncSettings settings = Settings();
        SyncDecision filtered = _planner.Decide(User("u", mustChange: true), settings);
        Assert.Equal(SyncAction.Skip, filtered.Action);

        SyncDecision cleared = _planner.Decide(User("u", changed: T0.AddHours(1)), settings, filtered.StateAfterSuccess);
        Assert.Equal(SyncAction.Export, cleared.Action);
        Assert.False(cleared.CloudRecord!.ForceChangePasswordNextSignIn);
    }

    // §3.2 [Inference]: the default rule's scope requires userAccountControl bit 2 clear; modelled as a setting.
    [Fact]
    public void Rule_DisabledAccount_IsOutOfScope_ByDefault()
    {
        SyncDecision decision = _planner.Decide(User("off", uac: UserAccountControl.NormalAccount | UserAccountControl.AccountDisabled), Settings());

        Assert.Equal(SyncAction.Skip, decision.Action);
        Assert.Equal([SyncReason.AccountDisabled], decision.Reasons);
    }

    [Fact]
    public void Rule_DisabledAccount_IsSynced_WhenSyncDisabledAccountsIsOn()
    {
        SyncDecision decision = _planner.Decide(User("off", uac: UserAccountControl.NormalAccount | UserAccountControl.AccountDisabled), Settings(s => s.SyncDisabledAccounts = true));

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
        SyncDecision decision = _planner.Decide(User("sel", adminDescription: adminDescription), Settings(s => s.SelectivePasswordHashSync = mode));

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
        SyncDecision decision = _planner.Decide(User("alice"), settings);

        Assert.Equal(SyncAction.Skip, decision.Action);
        Assert.Equal([reason], decision.Reasons);
        Assert.Null(decision.CloudRecord);
    }

    // §3.8 KB-PWDSYNC scenario 6: an account without a password hash has nothing to sync.
    [Fact]
    public void Rule_NoPasswordHash_IsNotSynced()
    {
        SyncDecision decision = _planner.Decide(User("old", password: null), Settings());

        Assert.Equal(SyncAction.Skip, decision.Action);
        Assert.Equal([SyncReason.NoPasswordHash], decision.Reasons);
    }

    // §6.5 / §6.7 #10: connector-space and cloud presence map to the documented statuses.
    [Fact]
    public void Rule_NotInScope_MapsToDocumentedStatuses()
    {
        DirectoryUser user = User("alice");
        Assert.Equal(PasswordSyncStatus.SourceConnectorNotPresent, _planner.Decide(user, Settings(), context: new SyncUserContext { InConnectorSpace = false }).Status);
        Assert.Equal(PasswordSyncStatus.NoTargetConnection, _planner.Decide(user, Settings(), context: new SyncUserContext { CloudFiltered = true }).Status);
        Assert.Equal(PasswordSyncStatus.NoTargetConnection, _planner.Decide(user, Settings(), context: new SyncUserContext { HasCloudObject = false }).Status);
        Assert.Equal(PasswordSyncStatus.TargetNotExportedToDirectory, _planner.Decide(user, Settings(), context: new SyncUserContext { CloudObjectExported = false }).Status);
    }

    // §4.2 + §4.3: an expired on-premises password (or account) still syncs and never expires in the cloud by default.
    [Fact]
    public void Rule_ExpiredOnPremisesPassword_StillSyncs_AndAccountExpiryIsNotSynced()
    {
        DirectoryUser user = User("expired", uac: UserAccountControl.NormalAccount | UserAccountControl.PasswordExpired);
        SyncDecision decision = _planner.Decide(user, Settings());

        Assert.Equal(SyncAction.Export, decision.Action);
        Assert.Equal(CloudPasswordPolicies.DisablePasswordExpiration, decision.CloudRecord!.PasswordPolicies);
        Assert.DoesNotContain(typeof(CloudPasswordRecord).GetProperties(), p => p.Name.Contains("Expire", StringComparison.OrdinalIgnoreCase) && p.Name != nameof(CloudPasswordRecord.PasswordPolicies));
    }

    // §4.2: DisablePasswordExpiration is written on every sync while the cloud policy feature is off.
    [Fact]
    public void Rule_Expiration_DisablePasswordExpirationIsWrittenOnEverySync()
    {
        PasswordHashSyncSettings settings = Settings();
        SyncDecision first = _planner.Decide(User("a"), settings);
        SyncDecision second = _planner.Decide(User("a", changed: T0.AddDays(1)), settings, first.StateAfterSuccess);

        Assert.Equal(CloudPasswordPolicies.DisablePasswordExpiration, second.CloudRecord!.PasswordPolicies);
    }

    // §4.2: with CloudPasswordPolicyForPasswordSyncedUsersEnabled new users get no PasswordPolicies at all.
    [Fact]
    public void Rule_CloudPolicyFeature_NewUsersGetNoPasswordPolicies()
    {
        SyncDecision decision = _planner.Decide(User("new"), Settings(s => s.CloudPasswordPolicyForPasswordSyncedUsersEnabled = true));

        Assert.Null(decision.CloudRecord!.PasswordPolicies);
        Assert.False(decision.StateAfterSuccess.DisablePasswordExpirationApplied);
    }

    // §4.2: turning the feature on is lazy: DisablePasswordExpiration is removed only at the user's next on-prem change.
    [Fact]
    public void Rule_CloudPolicyFeature_RemovesDisablePasswordExpiration_OnlyAtNextOnPremChange()
    {
        SyncDecision before = _planner.Decide(User("a"), Settings());
        Assert.True(before.StateAfterSuccess.DisablePasswordExpirationApplied);
        PasswordHashSyncSettings on = Settings(s => s.CloudPasswordPolicyForPasswordSyncedUsersEnabled = true);

        SyncDecision resend = _planner.Decide(User("a"), on, before.StateAfterSuccess, fullSync: true);
        Assert.Null(resend.CloudRecord!.PasswordPolicies);
        Assert.True(resend.StateAfterSuccess.DisablePasswordExpirationApplied);

        SyncDecision changed = _planner.Decide(User("a", changed: T0.AddDays(3)), on, resend.StateAfterSuccess);
        Assert.Equal(CloudPasswordPolicies.None, changed.CloudRecord!.PasswordPolicies);
        Assert.False(changed.StateAfterSuccess.DisablePasswordExpirationApplied);
    }

    // §2 Ordering: "per-user basis and in chronological order"; several changes in one cycle collapse to the latest.
    [Fact]
    public void Rule_Ordering_SeveralChangesInOneCycle_CollapseToTheLatest()
    {
        DirectoryUser[] changes = [User("a", "one", T0), User("b", "x", T0), User("a", "three", T0.AddMinutes(2)), User("a", "two", T0.AddMinutes(1))];
        using SyncPlan plan = _planner.Plan(changes, Settings());

        Assert.Equal(2, plan.Decisions.Count);
        SyncDecision a = plan.Decisions[0];
        Assert.Equal(T0.AddMinutes(2), a.Version.ChangeTime);
        AssertDigestOf("three", a.CloudRecord!);
    }

    // §2 / §4.4: an older change never overwrites a newer one.
    [Fact]
    public void Rule_Ordering_AnOlderChangeNeverOverwritesANewerOne()
    {
        SyncDecision newer = _planner.Decide(User("a", "new", T0.AddHours(1)), Settings());
        SyncDecision older = _planner.Decide(User("a", "old", T0), Settings(), newer.StateAfterSuccess);

        Assert.Equal(SyncAction.Superseded, older.Action);
        Assert.Null(older.CloudRecord);
    }

    // Re-applying the same change is harmless: incremental runs skip it, a full sync sends the same password again.
    [Fact]
    public void Rule_Ordering_ReapplyingTheSameChangeIsHarmless()
    {
        SyncDecision first = _planner.Decide(User("a", "pw"), Settings());
        SyncDecision again = _planner.Decide(User("a", "pw"), Settings(), first.StateAfterSuccess);
        SyncDecision full = _planner.Decide(User("a", "pw"), Settings(), first.StateAfterSuccess, fullSync: true);

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
        SyncDecision held = _planner.Decide(User("a", "old", T0), Settings(), context: reset, fullSync: true);
        Assert.Equal(SyncAction.Superseded, held.Action);
        Assert.Equal([SyncReason.CloudPasswordOverridden], held.Reasons);

        SyncDecision wins = _planner.Decide(User("a", "newer", T0.AddHours(2)), Settings(), held.StateAfterSuccess, reset);
        Assert.Equal(SyncAction.Export, wins.Action);
        AssertDigestOf("newer", wins.CloudRecord!);
    }

    // A "must change" user read without replication metadata has no change time: it is never treated as older and
    // never skipped as already applied, so an admin reset with "must change" is not missed.
    [Fact]
    public void Rule_Ordering_UnknownChangeTime_IsNeverDroppedAsOld()
    {
        PasswordHashSyncSettings settings = Settings(s => s.ForcePasswordChangeOnLogOn = true);
        SyncDecision synced = _planner.Decide(User("a", "one", T0.AddDays(1)), settings);
        var resetWithMustChange = new DirectoryUser
        {
            DistinguishedName = "CN=a,CN=Users,DC=contoso,DC=com",
            ObjectClasses = ["top", "person", "organizationalPerson", "user"],
            ObjectGuid = GuidFor("a"),
            NtHash = ReferenceNtHash("two"),
            PwdLastSet = 0,
        };

        SyncDecision first = _planner.Decide(resetWithMustChange, settings, synced.StateAfterSuccess, new SyncUserContext { CloudPasswordChanged = T0.AddDays(2) });
        Assert.False(first.Version.IsTimeKnown);
        Assert.Equal(SyncAction.Export, first.Action);
        AssertDigestOf("two", first.CloudRecord!);

        SyncDecision again = _planner.Decide(resetWithMustChange, settings, first.StateAfterSuccess);
        Assert.Equal(SyncAction.Export, again.Action);
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

        SyncDecision unexpired = _planner.Decide(clearedLater, settings, context: resetBeforeTheClear);
        Assert.Equal(SyncAction.Export, unexpired.Action);
        SyncDecision flagged = _planner.Decide(setAgain, settings, unexpired.StateAfterSuccess, resetBeforeTheClear);

        Assert.False(setAgain.PwdLastSet != 0);
        Assert.False(PasswordChangeVersion.Of(setAgain).IsOlderThan(unexpired.Version));
        Assert.Equal(SyncAction.Export, flagged.Action);
        Assert.True(flagged.CloudRecord!.ForceChangePasswordNextSignIn);
    }

    [Fact]
    public void Rule_Ordering_AnOlderPasswordInMustChangeState_IsStillOlder()
    {
        var oldMustChange = new PasswordChangeVersion(T0, true, T0);
        var newer = new PasswordChangeVersion(T0.AddHours(5), false, T0.AddHours(4));
        Assert.True(oldMustChange.IsOlderThan(newer));
        Assert.False(newer.IsOlderThan(oldMustChange));
    }

    // §2 full-sync trigger 7: a user entering scope gets its current password sent even without a new change.
    [Fact]
    public void Rule_UserEnteringScope_GetsAnInitialSync()
    {
        PasswordHashSyncSettings settings = Settings(s => s.SelectivePasswordHashSync = SelectivePasswordHashSyncMode.IncludeOnly);
        SyncDecision synced = _planner.Decide(User("a", adminDescription: "PHSIncluded"), settings);
        SyncDecision left = _planner.Decide(User("a"), settings, synced.StateAfterSuccess);
        Assert.False(left.StateAfterSuccess.InScope);

        SyncDecision back = _planner.Decide(User("a", adminDescription: "PHSIncluded"), settings, left.StateAfterSuccess);
        Assert.Equal(SyncAction.Export, back.Action);
        Assert.Contains(SyncReason.EnteredScope, back.Reasons);
    }

    // §5.2: managed domain gets the user's NT hash plus the Kerberos keys from supplementalCredentials.
    [Fact]
    public void Rule_ManagedDomain_RecordCarriesNtHashAndKerberosKeys()
    {
        SyncDecision decision = _planner.Decide(User("md", "Pa$$w0rd"), Settings(s => s.ManagedDomainEnabled = true));

        ManagedDomainRecord record = decision.ManagedDomainRecord!;
        Assert.Equal(ReferenceNtHash("Pa$$w0rd"), record.NtHash.ToArray());
        Assert.False(record.NtHashRandomized);

        // The DSInternals-published AES256 key of Pa$$w0rd with salt CONTOSO.COMAdministrator (reference-phs-spec §5.3).
        SyncDecision admin = _planner.Decide(User("Administrator", "Pa$$w0rd"), Settings(s => s.ManagedDomainEnabled = true));
        Assert.Equal("660e61042b190b5724c62bb473facca12058fb9ad3c03c0d2809f839c0352502", Convert.ToHexStringLower(admin.ManagedDomainRecord!.KerberosKeys[0].Key.Span));
        Assert.Equal(PasswordSyncStatus.Success, decision.Status);
    }

    // §5.5: SyncNtlmPasswords disabled → a random high-entropy NT hash, different from the user's.
    [Fact]
    public void Rule_ManagedDomain_NtlmSyncDisabled_SendsARandomNtHash()
    {
        SyncDecision decision = _planner.Decide(User("md", "Pa$$w0rd"), Settings(s => { s.ManagedDomainEnabled = true; s.SyncNtlmPasswords = false; }));

        ManagedDomainRecord record = decision.ManagedDomainRecord!;
        Assert.True(record.NtHashRandomized);
        Assert.NotEqual(ReferenceNtHash("Pa$$w0rd"), record.NtHash.ToArray());
        Assert.Equal(16, record.NtHash.Length);
        Assert.NotEmpty(record.KerberosKeys);
    }

    // §4.6 DS-FAQ: DisablePasswordExpiration → DONT_EXPIRE_PASSWORD; forceChangePasswordNextSignIn → pwdLastSet = 0.
    [Fact]
    public void Rule_ManagedDomain_MapsPoliciesToAccountFlags()
    {
        SyncDecision normal = _planner.Decide(User("md"), Settings(s => s.ManagedDomainEnabled = true));
        Assert.True(normal.ManagedDomainRecord!.DontExpirePassword);
        Assert.False(normal.ManagedDomainRecord.PwdLastSetZero);

        SyncDecision cloudPolicy = _planner.Decide(User("md2", mustChange: true), Settings(s => { s.ManagedDomainEnabled = true; s.CloudPasswordPolicyForPasswordSyncedUsersEnabled = true; s.ForcePasswordChangeOnLogOn = true; }));
        Assert.False(cloudPolicy.ManagedDomainRecord!.DontExpirePassword);
        Assert.True(cloudPolicy.ManagedDomainRecord.PwdLastSetZero);
    }

    // §5 / §6.5: missing Kerberos keys → MissingAttribute; next attempt with keys → RetryRequestedByTarget.
    [Fact]
    public void Rule_ManagedDomain_MissingKerberosKeys_IsMissingAttribute_ThenRetryRequestedByTarget()
    {
        PasswordHashSyncSettings settings = Settings(s => s.ManagedDomainEnabled = true);
        SyncDecision missing = _planner.Decide(User("k", withKerberos: false), settings);

        Assert.Equal(SyncAction.Export, missing.Action);
        Assert.Equal(PasswordSyncStatus.MissingAttribute, missing.Status);
        Assert.Null(missing.ManagedDomainRecord);
        Assert.True(missing.StateAfterSuccess.ManagedDomainPending);

        SyncDecision retried = _planner.Decide(User("k"), settings, missing.StateAfterSuccess);
        Assert.Equal(SyncAction.Export, retried.Action);
        Assert.Equal(PasswordSyncStatus.RetryRequestedByTarget, retried.Status);
        Assert.NotNull(retried.ManagedDomainRecord);
        Assert.False(retried.StateAfterSuccess.ManagedDomainPending);
    }

    [Fact]
    public void Rule_ManagedDomain_DefaultExtractor_UserWithoutKerberosKeys_IsMissingAttribute()
    {
        // No extractor given: the planner reads blobs with the library's parser; this user has no supplementalCredentials.
        var user = new DirectoryUser { DistinguishedName = "CN=k,DC=contoso,DC=com", ObjectClasses = ["top", "user"], SamAccountName = "k", NtHash = NtHash.Compute("k-password"), PasswordLastChanged = T0 };
        var planner = new SyncPlanner();
        SyncDecision decision = planner.Decide(user, Settings(s => s.ManagedDomainEnabled = true));
        Assert.Equal(PasswordSyncStatus.MissingAttribute, decision.Status);
    }

    // One damaged user must not stop the channel: it is skipped with a reason and the others are planned.
    [Fact]
    public void Plan_MalformedNtHash_SkipsThatUserOnly()
    {
        var bad = new DirectoryUser { DistinguishedName = "CN=bad,DC=contoso,DC=com", ObjectClasses = ["top", "user"], NtHash = new byte[15], PasswordLastChanged = T0 };
        using SyncPlan plan = _planner.Plan([bad, User("good")], Settings());

        Assert.Equal(SyncAction.Skip, plan.Decisions[0].Action);
        Assert.Equal([SyncReason.InvalidPasswordHash], plan.Decisions[0].Reasons);
        Assert.Equal(PasswordSyncStatus.Error, plan.Decisions[0].Status);
        Assert.Equal(SyncAction.Export, plan.Decisions[1].Action);
    }

    [Fact]
    public void Rule_ManagedDomain_MalformedSupplementalCredentials_IsMissingAttribute()
    {
        var planner = new SyncPlanner(new SyncThrowingKerberosKeyExtractor(), new SyncCountingRandomSource());
        SyncDecision decision = planner.Decide(User("k"), Settings(s => s.ManagedDomainEnabled = true));

        Assert.Equal(SyncAction.Export, decision.Action);
        Assert.Equal(PasswordSyncStatus.MissingAttribute, decision.Status);
        Assert.Null(decision.ManagedDomainRecord);
    }

    private sealed class SyncThrowingKerberosKeyExtractor : IKerberosKeyExtractor
    {
        public IReadOnlyList<Kerberos.KerberosKey> ExtractCurrentKeys(ReadOnlyMemory<byte> supplementalCredentials) =>
            throw new FormatException("USER_PROPERTIES signature is wrong.");
    }

    [Fact]
    public void Decide_RecordsNeverShowSecretsInToString()
    {
        SyncDecision decision = _planner.Decide(User("s", "Pa$$w0rd"), Settings(s => s.ManagedDomainEnabled = true));
        string nt = Convert.ToHexStringLower(ReferenceNtHash("Pa$$w0rd"));
        string hash = Convert.ToHexStringLower(decision.CloudRecord!.Digest.Hash.Span);
        foreach (string text in new[] { decision.ToString(), decision.CloudRecord.ToString(), decision.ManagedDomainRecord!.ToString() })
        {
            Assert.DoesNotContain(nt, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(hash, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static void AssertDigestOf(string password, CloudPasswordRecord record)
    {
        byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(ReferenceNtHash(password)));
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(input, record.Digest.Salt.ToArray(), record.Digest.IterationCount, HashAlgorithmName.SHA256, 32);
        Assert.Equal(expected, record.Digest.Hash.ToArray());
    }
}
