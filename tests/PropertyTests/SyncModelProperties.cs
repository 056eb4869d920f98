using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PasswordHashSync.Sync;

namespace PasswordHashSync.PropertyTests;

/// <summary>Generators for random sync scenarios; shrinking drops steps.</summary>
public static class SyncScenarioArbitraries
{
    public static Arbitrary<SyncScenario> Scenario()
    {
        Gen<SyncOpKind> kind = Gen.Frequency(
            (4, Gen.Constant(SyncOpKind.Cycle)),
            (4, Gen.Constant(SyncOpKind.OnPremChange)),
            (2, Gen.Constant(SyncOpKind.CloudReset)),
            (2, Gen.Constant(SyncOpKind.ScopeToggle)),
            (2, Gen.Constant(SyncOpKind.FailureToggle)),
            (1, Gen.Constant(SyncOpKind.Restart)),
            (1, Gen.Constant(SyncOpKind.StagingToggle)),
            (2, Gen.Constant(SyncOpKind.MustChangeToggle)));
        Gen<SyncOp> op = kind.SelectMany(_ => Gen.Choose(0, SyncModelWorld.UserCount - 1), (k, u) => new SyncOp(k, u));
        return Arb.From(Gen.ArrayOf(op).Select(ops => new SyncScenario(ops)), Shrink);
    }

    private static IEnumerable<SyncScenario> Shrink(SyncScenario scenario)
    {
        for (int i = 0; i < scenario.Ops.Length; i++)
        {
            yield return new SyncScenario([.. scenario.Ops[..i], .. scenario.Ops[(i + 1)..]]);
        }
    }
}

/// <summary>
/// Model-based properties of the sync engine: for random sequences of on-premises changes, cloud resets, scope
/// changes, export failures, restarts, staging toggles and "must change" toggles (force-change feature on), the cloud
/// ends up as a simple reference model says: the newest on-premises change wins unless a cloud reset is newer, with the
/// force-change flag of that change; nothing is lost; nothing older overwrites newer; nothing is sent out of scope or
/// in staging mode.
/// </summary>
public class SyncModelProperties
{
    private static void Run(SyncScenario scenario, ISyncStateStore store)
    {
        var world = new SyncModelWorld(store);
        PasswordSyncRunner runner = world.NewRunner();
        foreach (SyncOp op in scenario.Ops)
        {
            world.Apply(op, ref runner);
        }

        world.Settle(runner);

        Assert.Empty(world.Violations);
        for (int u = 0; u < SyncModelWorld.UserCount; u++)
        {
            Assert.Equal(world.Expected(u), world.Cloud(u));
            Assert.Equal(world.ExpectedForceChange(u), world.CloudForceChange(u));
            Assert.Equal(world.Expected(u), world.ManagedDomain(u));
        }

        SyncState state = store.LoadAsync().AsTask().GetAwaiter().GetResult();
        Assert.Empty(state.RetryQueue);
        Assert.True(state.InitialSyncCompleted);
    }

    [Property(Arbitrary = [typeof(SyncScenarioArbitraries)], MaxTest = 500, EndSize = 80)]
    public void Sync_FinalCloudState_EqualsTheReferenceModel(SyncScenario scenario) =>
        Run(scenario, new InMemorySyncStateStore());

    // The same with the durable store: every restart reloads the state from disk.
    [Property(Arbitrary = [typeof(SyncScenarioArbitraries)], MaxTest = 25, EndSize = 40)]
    public void Sync_FinalCloudState_EqualsTheReferenceModel_WithTheFileStore(SyncScenario scenario)
    {
        string directory = Path.Combine(Path.GetTempPath(), "phs-sync-model-" + Guid.NewGuid().ToString("N"));
        try
        {
            Run(scenario, new FileSyncStateStore(Path.Combine(directory, "state.json")));
        }
        finally
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
    }

    // Several changes of one user in a cycle collapse to the newest one, whatever their order.
    [Property(MaxTest = 200)]
    public void Sync_CollapseToLatest_KeepsTheNewestChangePerUser(int[] minutes)
    {
        var users = minutes.Select((m, i) => new Directory.DirectoryUser
        {
            DistinguishedName = "CN=u" + (i % 3) + ",DC=x",
            ObjectClasses = ["top", "user"],
            PasswordLastChanged = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(m),
        }).ToList();

        IReadOnlyList<Directory.DirectoryUser> collapsed = SyncPlanner.CollapseToLatest(users);

        Assert.Equal(users.Select(u => u.DistinguishedName).Distinct(), collapsed.Select(u => u.DistinguishedName));
        foreach (Directory.DirectoryUser kept in collapsed)
        {
            Assert.Equal(users.Where(u => u.DistinguishedName == kept.DistinguishedName).Max(u => u.PasswordLastChanged), kept.PasswordLastChanged);
        }
    }
}
