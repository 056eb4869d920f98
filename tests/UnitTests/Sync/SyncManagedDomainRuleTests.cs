using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>The managed-domain record (reference-phs-spec.md §5): NT hash, Kerberos keys, account flags and missing keys; one test per documented rule, each name says the rule.</summary>
public class SyncManagedDomainRuleTests : SyncRuleTestBase
{
    // §5.2: managed domain gets the user's NT hash plus the Kerberos keys from supplementalCredentials.
    [Fact]
    public void Rule_ManagedDomain_RecordCarriesNtHashAndKerberosKeys()
    {
        SyncDecision decision = Planner.Decide(User("md", "Pa$$w0rd"), Settings(s => s.ManagedDomainEnabled = true));

        ManagedDomainRecord record = decision.ManagedDomainRecord!;
        Assert.Equal(ReferenceNtHash("Pa$$w0rd"), record.NtHash.ToArray());
        Assert.False(record.NtHashRandomized);

        // The DSInternals-published AES256 key of Pa$$w0rd with salt CONTOSO.COMAdministrator (reference-phs-spec §5.3).
        SyncDecision admin = Planner.Decide(User("Administrator", "Pa$$w0rd"), Settings(s => s.ManagedDomainEnabled = true));
        Assert.Equal("660e61042b190b5724c62bb473facca12058fb9ad3c03c0d2809f839c0352502", Convert.ToHexStringLower(admin.ManagedDomainRecord!.KerberosKeys[0].Key.Span));
        Assert.Equal(PasswordSyncStatus.Success, decision.Status);
    }

    // §5.5: SyncNtlmPasswords disabled → a random high-entropy NT hash, different from the user's.
    [Fact]
    public void Rule_ManagedDomain_NtlmSyncDisabled_SendsARandomNtHash()
    {
        SyncDecision decision = Planner.Decide(User("md", "Pa$$w0rd"), Settings(s => { s.ManagedDomainEnabled = true; s.SyncNtlmPasswords = false; }));

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
        SyncDecision normal = Planner.Decide(User("md"), Settings(s => s.ManagedDomainEnabled = true));
        Assert.True(normal.ManagedDomainRecord!.DontExpirePassword);
        Assert.False(normal.ManagedDomainRecord.PwdLastSetZero);

        SyncDecision cloudPolicy = Planner.Decide(User("md2", mustChange: true), Settings(s => { s.ManagedDomainEnabled = true; s.CloudPasswordPolicyForPasswordSyncedUsersEnabled = true; s.ForcePasswordChangeOnLogOn = true; }));
        Assert.False(cloudPolicy.ManagedDomainRecord!.DontExpirePassword);
        Assert.True(cloudPolicy.ManagedDomainRecord.PwdLastSetZero);
    }

    // §5 / §6.5: missing Kerberos keys → MissingAttribute; next attempt with keys → RetryRequestedByTarget.
    [Fact]
    public void Rule_ManagedDomain_MissingKerberosKeys_IsMissingAttribute_ThenRetryRequestedByTarget()
    {
        PasswordHashSyncSettings settings = Settings(s => s.ManagedDomainEnabled = true);
        SyncDecision missing = Planner.Decide(User("k", withKerberos: false), settings);

        Assert.Equal(SyncAction.Export, missing.Action);
        Assert.Equal(PasswordSyncStatus.MissingAttribute, missing.Status);
        Assert.Null(missing.ManagedDomainRecord);
        Assert.True(missing.StateAfterSuccess.ManagedDomainPending);

        SyncDecision retried = Planner.Decide(User("k"), settings, missing.StateAfterSuccess);
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
}
