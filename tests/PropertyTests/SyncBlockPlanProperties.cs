using FsCheck;
using FsCheck.Fluent;
using PasswordHashSync.Directory;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;

namespace PasswordHashSync.PropertyTests;

/// <summary>
/// The block planner (<see cref="SyncPlanner.PlanBlock"/> + <see cref="SyncPlan.ComputeDigests"/>: batch-engine digests,
/// Kerberos keys parsed on all cores) decides exactly as the single-operation <see cref="SyncPlanner.Decide"/>, user by
/// user, for random users, remembered states and settings: same action, status, reasons, state, and byte for byte the
/// same digest, policies, NT hash and keys (both draw salts and random NT hashes from one seeded source, in order).
/// </summary>
public sealed class SyncBlockPlanProperties
{
    private static readonly Lazy<byte[][]> Blobs = new(() =>
    [
        SupplementalCredentialsGenerator.Generate("Block-Pa$$w0rd", new SupplementalCredentialsAccount { SamAccountName = "blk", NetBiosDomainName = "ADATUM", DnsDomainName = "adatum.com", IterationCount = 2 }).ToByteArray(),
        SupplementalCredentialsGenerator.Generate("Other-Pa$$w0rd", new SupplementalCredentialsAccount { SamAccountName = "oth", NetBiosDomainName = "ADATUM", DnsDomainName = "adatum.com", IterationCount = 3 }).ToByteArray(),
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
    ]);

    private sealed record UserSpec(int Id, int NtKind, int PwdKind, int Uac, int Description, int Class, int Blob, int Previous);

    private sealed record Scenario(UserSpec[] Users, bool Managed, bool SyncNtlm, bool Force, bool CloudPolicy, int Selective, int Iterations, bool FullSync, int Seed);

    private static readonly Gen<UserSpec> UserGen =
        from id in Gen.Choose(0, 40)
        from nt in Gen.Frequency((8, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)))
        from pwd in Gen.Choose(0, 4)
        from uac in Gen.Elements(512, 514, 66048, 4096)
        from description in Gen.Choose(0, 2)
        from objectClass in Gen.Frequency((8, Gen.Constant(0)), (1, Gen.Constant(1)))
        from blob in Gen.Choose(0, 3)
        from previous in Gen.Choose(0, 4)
        select new UserSpec(id, nt, pwd, uac, description, objectClass, blob, previous);

    private static readonly Gen<Scenario> ScenarioGen =
        from users in Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(UserGen, n))
        from managed in Gen.Frequency((2, Gen.Constant(true)), (1, Gen.Constant(false)))
        from syncNtlm in Gen.Elements(true, false)
        from force in Gen.Elements(true, false)
        from cloudPolicy in Gen.Elements(true, false)
        from selective in Gen.Choose(0, 2)
        from iterations in Gen.Choose(1, 20)
        from fullSync in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue)
        select new Scenario(users, managed, syncNtlm, force, cloudPolicy, selective, iterations, fullSync, seed);

    [Fact]
    public void Block_plans_equal_single_decisions_byte_for_byte()
    {
        Prop.ForAll(ScenarioGen.ToArbitrary(), scenario =>
        {
            var settings = new PasswordHashSyncSettings
            {
                ManagedDomainEnabled = scenario.Managed,
                SyncNtlmPasswords = scenario.SyncNtlm,
                ForcePasswordChangeOnLogOn = scenario.Force,
                CloudPasswordPolicyForPasswordSyncedUsersEnabled = scenario.CloudPolicy,
                SelectivePasswordHashSync = (SelectivePasswordHashSyncMode)scenario.Selective,
                DigestIterationCount = scenario.Iterations,
            };
            DirectoryUser[] users = [.. scenario.Users.Select(User)];
            var states = new Dictionary<string, SyncUserState>(StringComparer.Ordinal);
            foreach (UserSpec spec in scenario.Users)
            {
                if (State(spec) is SyncUserState state)
                {
                    states[SyncPlanner.GetSourceAnchor(User(spec))] = state;
                }
            }

            var single = new SyncPlanner(random: new Seeded(scenario.Seed));
            List<SyncDecision> expected = [.. users.Select(u => single.Decide(u, settings, states.GetValueOrDefault(SyncPlanner.GetSourceAnchor(u)), null, scenario.FullSync))];
            using SyncPlan plan = new SyncPlanner(random: new Seeded(scenario.Seed)).PlanBlock(users, settings, states, null, scenario.FullSync);
            Assert.True(plan.HasPendingDigests);
            Assert.Throws<InvalidOperationException>(() => plan.Decisions);
            plan.ComputeDigests(maxDegreeOfParallelism: 2);
            Assert.Equal(expected.Count, plan.Decisions.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.Equal(Describe(expected[i]), Describe(plan.Decisions[i]));
            }

            foreach (SyncDecision decision in expected)
            {
                decision.ManagedDomainRecord?.Dispose();
            }
        }).QuickCheckThrowOnFailure();
    }

    private static string Describe(SyncDecision d)
    {
        string cloud = d.CloudRecord is { } c ? $"{c.Digest.ToWireString()}|{c.PasswordPolicies}|{c.ForceChangePasswordNextSignIn}|{c.Version}" : "-";
        string managed = d.ManagedDomainRecord is { } m
            ? $"{Convert.ToHexString(m.NtHash.Span)}|{m.NtHashRandomized}|{m.DontExpirePassword}|{m.PwdLastSetZero}|"
              + string.Join(";", m.KerberosKeys.Select(k => $"{k.EncryptionType}:{Convert.ToHexString(k.Key.Span)}:{Convert.ToHexString(k.Salt.Span)}:{k.IterationCount}"))
            : "-";
        return $"{d.SourceAnchor}|{d.DistinguishedName}|{d.SamAccountName}|{d.Action}|{d.Status}|{string.Join(",", d.Reasons)}|{d.Version}|{d.StateAfterSuccess}|{cloud}|{managed}";
    }

    private static DirectoryUser User(UserSpec spec)
    {
        byte[] nt = new byte[16];
        new Random(spec.Id * 31 + spec.PwdKind).NextBytes(nt);
        return new DirectoryUser
        {
            DistinguishedName = $"CN=u{spec.Id},DC=adatum,DC=com",
            ObjectClasses = spec.Class == 0 ? ["top", "person", "organizationalPerson", "user"] : ["top", "person", "organizationalPerson", "user", "computer"],
            SamAccountName = spec.Id % 5 == 0 ? null : $"u{spec.Id}",
            ObjectGuid = spec.Id % 7 == 0 ? null : new Guid(spec.Id, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
            UserAccountControl = (UserAccountControl)spec.Uac,
            PwdLastSet = spec.PwdKind switch { 0 => 0, 1 => null, 2 => 134399328144554110, 3 => 134399328144554110 + spec.Id, _ => long.MaxValue },
            AdminDescription = spec.Description switch { 0 => null, 1 => SyncPlanner.PhsFilteredMarker, _ => SyncPlanner.PhsIncludedMarker },
            NtHash = spec.NtKind switch { 0 => nt, 1 => ReadOnlyMemory<byte>.Empty, _ => nt.AsMemory(0, 15) },
            SupplementalCredentials = spec.Blob < 3 ? Blobs.Value[spec.Blob] : ReadOnlyMemory<byte>.Empty,
        };
    }

    private static SyncUserState? State(UserSpec spec) => spec.Previous switch
    {
        0 => null,
        1 => new SyncUserState { InScope = false },
        2 => new SyncUserState { InScope = true, LastApplied = PasswordChangeVersion.Of(User(spec)), DisablePasswordExpirationApplied = true },
        3 => new SyncUserState { InScope = true, LastApplied = PasswordChangeVersion.Of(User(spec)), ManagedDomainPending = true },
        _ => new SyncUserState { InScope = true, LastApplied = new PasswordChangeVersion(DateTimeOffset.MaxValue.AddDays(-1), false, DateTimeOffset.MaxValue.AddDays(-1)) },
    };

    private sealed class Seeded(int seed) : ISyncRandomSource
    {
        private readonly Random _random = new(seed);

        public void Fill(Span<byte> destination) => _random.NextBytes(destination);
    }
}
