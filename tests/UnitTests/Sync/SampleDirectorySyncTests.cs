using Microsoft.Extensions.DependencyInjection;
using PasswordHashSync.Sync;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests;

/// <summary>
/// The committed sample (samples/directory.ldif, a real Samba export): every object gets the decision its attributes
/// call for under the documented rules (table and rules in <see cref="SampleDirectorySyncRules"/>), through the planner
/// that <c>AddPasswordHashSync()</c> wires (so the default Kerberos key extractor reads the real blobs).
/// </summary>
public sealed class SampleDirectorySyncTests
{
    private static readonly IReadOnlyList<SampleDirectorySyncRules.Entry> Entries = SampleDirectorySyncRules.Load(
        Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif"),
        Path.Combine(RepositoryPaths.Root, "samples", "directory.manifest.json"));

    private static SyncPlanner Planner() =>
        new ServiceCollection().AddPasswordHashSync().BuildServiceProvider().GetRequiredService<SyncPlanner>();

    [Fact]
    public void Default_settings_sync_enabled_users_only_rules_3_1_3_2_3_3() => SampleDirectorySyncRules.DefaultSettings(Planner(), Entries);

    [Fact]
    public void ForcePasswordChangeOnLogOn_syncs_frank_with_force_change_rule_3_3() => SampleDirectorySyncRules.ForcePasswordChange(Planner(), Entries);

    [Fact]
    public void SyncDisabledAccounts_syncs_grace_rule_3_2() => SampleDirectorySyncRules.SyncDisabled(Planner(), Entries);

    [Fact]
    public void Selective_sync_excludes_PHSFiltered_and_includes_only_PHSIncluded_rule_3_2() => SampleDirectorySyncRules.Selective(Planner(), Entries);

    [Fact]
    public void Staging_mode_syncs_nothing_rule_3_5() => SampleDirectorySyncRules.Staging(Planner(), Entries);

    [Fact]
    public void Managed_domain_records_carry_the_manifest_passwords_NT_hash_and_Kerberos_keys_rule_5_2() => SampleDirectorySyncRules.ManagedDomain(Planner(), Entries);

    [Fact]
    public void SyncNtlmPasswords_off_sends_random_NT_hashes_rule_5_2() => SampleDirectorySyncRules.NtlmOff(Planner(), Entries);

    [Fact]
    public void Computers_and_the_contact_never_sync_as_users_rule_3_1() => SampleDirectorySyncRules.NonUsersNeverSynced(Planner(), Entries);
}
