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
            (2, Gen.Constant(SyncOpKind.MustChangeToggle)),
            (1, Gen.Constant(SyncOpKind.CrashDuringCycle)),
            (1, Gen.Constant(SyncOpKind.SecondProcess)));
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
/// in staging mode. Crashes between an export and its state save re-send (at least once, never out of order); with
/// the file store every restart hands its lock to the next run and a second process is refused; with the outbox the
/// cloud applies what it reads from the agent's segments.
/// </summary>
public class SyncModelProperties
{
    private static void Run(SyncScenario scenario, ISyncStateStore store) => Run(scenario, new SyncModelWorld(store));

    private static SyncModelWorld Run(SyncScenario scenario, SyncModelWorld world)
    {
        ISyncStateStore store = world.Store;
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

        SyncState state = world.Store.LoadAsync().AsTask().GetAwaiter().GetResult();
        Assert.Empty(state.RetryQueue);
        Assert.True(state.InitialSyncCompleted);
        _ = store;
        return world;
    }

    [Property(Arbitrary = [typeof(SyncScenarioArbitraries)], MaxTest = 500, EndSize = 80)]
    public void Sync_FinalCloudState_EqualsTheReferenceModel(SyncScenario scenario) =>
        Run(scenario, new InMemorySyncStateStore());

    // The same with the durable store: every restart releases the lock, reopens the store (taking the lock again)
    // and reloads the state from disk; a second process is refused while a run holds the lock.
    [Property(Arbitrary = [typeof(SyncScenarioArbitraries)], MaxTest = 25, EndSize = 40)]
    public void Sync_FinalCloudState_EqualsTheReferenceModel_WithTheFileStore(SyncScenario scenario) =>
        RunInTemporaryDirectory(scenario, withOutbox: false);

    // The agent's whole path: the locked file store, and records that reach the cloud only through outbox segments.
    [Property(Arbitrary = [typeof(SyncScenarioArbitraries)], MaxTest = 25, EndSize = 40)]
    public void Sync_FinalCloudState_EqualsTheReferenceModel_ThroughTheLockedStoreAndTheOutbox(SyncScenario scenario) =>
        RunInTemporaryDirectory(scenario, withOutbox: true);

    // The lock and the outbox are really exercised (a property that never crashed, restarted or read a segment
    // would prove nothing about them).
    [Fact]
    public void Model_WithTheOutbox_HandsTheLockOver_RefusesASecondProcess_AndReadsTheOutbox()
    {
        SyncOp[] ops = [new(SyncOpKind.Cycle, 0), new(SyncOpKind.OnPremChange, 1), new(SyncOpKind.CrashDuringCycle, 0), new(SyncOpKind.SecondProcess, 0), new(SyncOpKind.Restart, 0), new(SyncOpKind.Cycle, 0)];
        SyncModelWorld world = RunInTemporaryDirectory(new SyncScenario(ops), withOutbox: true);
        Assert.Equal(2, world.LockHandovers);
        Assert.Equal(1, world.SecondProcessesRefused);
        Assert.True(world.RecordsReadFromOutbox >= SyncModelWorld.UserCount + 1);
    }

    private static SyncModelWorld RunInTemporaryDirectory(SyncScenario scenario, bool withOutbox)
    {
        string directory = Path.Combine(Path.GetTempPath(), "phs-sync-model-" + Guid.NewGuid().ToString("N"));
        string statePath = Path.Combine(directory, "state.json");
        var world = new SyncModelWorld(() => new FileSyncStateStore(statePath), withOutbox ? Path.Combine(directory, "outbox") : null);
        try
        {
            return Run(scenario, world);
        }
        finally
        {
            world.Close();
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
