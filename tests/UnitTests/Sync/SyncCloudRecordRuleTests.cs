using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>The cloud record of a synced user (reference-phs-spec.md §1.2, §4 and §10): the salted digest, the password policies and expiry; one test per documented rule, each name says the rule.</summary>
public class SyncCloudRecordRuleTests : SyncRuleTestBase
{
    // §1.2 / §10 "OrgId digest": PBKDF2-HMAC-SHA256(UTF-16LE(UPPER hex(NT)), salt, 1000, 32), recomputed here independently.
    [Fact]
    public void Rule_CloudDigest_IsPbkdf2OfUppercaseHexNtHash_WithFreshSalt()
    {
        SyncDecision decision = Planner.Decide(User("alice", "Pa$$w0rd"), Settings());

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
        SyncDecision decision = Planner.Decide(User("alice"), Settings());

        Assert.Equal(SyncAction.Export, decision.Action);
        Assert.Equal(PasswordSyncStatus.Success, decision.Status);
        Assert.Equal(CloudPasswordPolicies.DisablePasswordExpiration, decision.CloudRecord!.PasswordPolicies);
        Assert.False(decision.CloudRecord.ForceChangePasswordNextSignIn);
        Assert.Empty(decision.Reasons);
        Assert.Equal(Convert.ToBase64String(GuidFor("alice").ToByteArray()), decision.SourceAnchor);
    }

    // §4.2 + §4.3: an expired on-premises password (or account) still syncs and never expires in the cloud by default.
    [Fact]
    public void Rule_ExpiredOnPremisesPassword_StillSyncs_AndAccountExpiryIsNotSynced()
    {
        DirectoryUser user = User("expired", uac: UserAccountControl.NormalAccount | UserAccountControl.PasswordExpired);
        SyncDecision decision = Planner.Decide(user, Settings());

        Assert.Equal(SyncAction.Export, decision.Action);
        Assert.Equal(CloudPasswordPolicies.DisablePasswordExpiration, decision.CloudRecord!.PasswordPolicies);
        Assert.DoesNotContain(typeof(CloudPasswordRecord).GetProperties(), p => p.Name.Contains("Expire", StringComparison.OrdinalIgnoreCase) && p.Name != nameof(CloudPasswordRecord.PasswordPolicies));
    }

    // §4.2: DisablePasswordExpiration is written on every sync while the cloud policy feature is off.
    [Fact]
    public void Rule_Expiration_DisablePasswordExpirationIsWrittenOnEverySync()
    {
        PasswordHashSyncSettings settings = Settings();
        SyncDecision first = Planner.Decide(User("a"), settings);
        SyncDecision second = Planner.Decide(User("a", changed: T0.AddDays(1)), settings, first.StateAfterSuccess);

        Assert.Equal(CloudPasswordPolicies.DisablePasswordExpiration, second.CloudRecord!.PasswordPolicies);
    }

    // §4.2: with CloudPasswordPolicyForPasswordSyncedUsersEnabled new users get no PasswordPolicies at all.
    [Fact]
    public void Rule_CloudPolicyFeature_NewUsersGetNoPasswordPolicies()
    {
        SyncDecision decision = Planner.Decide(User("new"), Settings(s => s.CloudPasswordPolicyForPasswordSyncedUsersEnabled = true));

        Assert.Null(decision.CloudRecord!.PasswordPolicies);
        Assert.False(decision.StateAfterSuccess.DisablePasswordExpirationApplied);
    }

    // §4.2: turning the feature on is lazy: DisablePasswordExpiration is removed only at the user's next on-prem change.
    [Fact]
    public void Rule_CloudPolicyFeature_RemovesDisablePasswordExpiration_OnlyAtNextOnPremChange()
    {
        SyncDecision before = Planner.Decide(User("a"), Settings());
        Assert.True(before.StateAfterSuccess.DisablePasswordExpirationApplied);
        PasswordHashSyncSettings on = Settings(s => s.CloudPasswordPolicyForPasswordSyncedUsersEnabled = true);

        SyncDecision resend = Planner.Decide(User("a"), on, before.StateAfterSuccess, fullSync: true);
        Assert.Null(resend.CloudRecord!.PasswordPolicies);
        Assert.True(resend.StateAfterSuccess.DisablePasswordExpirationApplied);

        SyncDecision changed = Planner.Decide(User("a", changed: T0.AddDays(3)), on, resend.StateAfterSuccess);
        Assert.Equal(CloudPasswordPolicies.None, changed.CloudRecord!.PasswordPolicies);
        Assert.False(changed.StateAfterSuccess.DisablePasswordExpirationApplied);
    }

    [Fact]
    public void Decide_RecordsNeverShowSecretsInToString()
    {
        SyncDecision decision = Planner.Decide(User("s", "Pa$$w0rd"), Settings(s => s.ManagedDomainEnabled = true));
        string nt = Convert.ToHexStringLower(ReferenceNtHash("Pa$$w0rd"));
        string hash = Convert.ToHexStringLower(decision.CloudRecord!.Digest.Hash.Span);
        foreach (string text in new[] { decision.ToString(), decision.CloudRecord.ToString(), decision.ManagedDomainRecord!.ToString() })
        {
            Assert.DoesNotContain(nt, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(hash, text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
