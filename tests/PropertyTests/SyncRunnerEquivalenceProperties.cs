using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PasswordHashSync.PropertyTests.Reference;
using PasswordHashSync.Sync;

namespace PasswordHashSync.PropertyTests;

/// <summary>Random directories, settings and step sequences for the runner equivalence property; shrinking drops steps.</summary>
public static class EquivalenceArbitraries
{
    public static Arbitrary<EquivalenceCase> Case()
    {
        Gen<EquivalenceOpKind> kind = Gen.Frequency(
            (7, Gen.Constant(EquivalenceOpKind.Cycle)),
            (5, Gen.Constant(EquivalenceOpKind.Change)),
            (2, Gen.Constant(EquivalenceOpKind.StaleEcho)),
            (1, Gen.Constant(EquivalenceOpKind.MustChangeToggle)),
            (2, Gen.Constant(EquivalenceOpKind.DisableToggle)),
            (1, Gen.Constant(EquivalenceOpKind.Delete)),
            (2, Gen.Constant(EquivalenceOpKind.CloudReset)),
            (2, Gen.Constant(EquivalenceOpKind.RejectUserToggle)),
            (1, Gen.Constant(EquivalenceOpKind.SilentUserToggle)),
            (1, Gen.Constant(EquivalenceOpKind.FailNextBatch)),
            (2, Gen.Constant(EquivalenceOpKind.CancelAtBatch)),
            (1, Gen.Constant(EquivalenceOpKind.SourceFaultAfter)),
            (1, Gen.Constant(EquivalenceOpKind.RequireFullSync)),
            (1, Gen.Constant(EquivalenceOpKind.StagingToggle)),
            (1, Gen.Constant(EquivalenceOpKind.ManagedDomainToggle)),
            (1, Gen.Constant(EquivalenceOpKind.NtlmToggle)),
            (1, Gen.Constant(EquivalenceOpKind.RequestFullSync)),
            (3, Gen.Constant(EquivalenceOpKind.RunFullSync)),
            (1, Gen.Constant(EquivalenceOpKind.Restart)),
            (2, Gen.Constant(EquivalenceOpKind.WaitForRetries)));
        Gen<EquivalenceOp> op =
            from k in kind
            from u in Gen.Choose(0, 99)
            from a in Gen.Choose(0, 12)
            select new EquivalenceOp(k, u, a);
        Gen<bool> flag = Gen.Elements(true, false);
        Gen<EquivalenceCase> scenario =
            from users in Gen.Choose(1, 14)
            from batch in Gen.Choose(1, 6)
            from block in Gen.Choose(1, 9)
            from log in flag
            from managed in flag
            from force in flag
            from ops in Gen.ArrayOf(op)
            select new EquivalenceCase(users, batch, block, log, managed, force, ops);
        return Arb.From(scenario, Shrink);
    }

    private static IEnumerable<EquivalenceCase> Shrink(EquivalenceCase scenario)
    {
        for (int i = 0; i < scenario.Ops.Length; i++)
        {
            yield return scenario with { Ops = [.. scenario.Ops[..i], .. scenario.Ops[(i + 1)..]] };
        }
    }
}

/// <summary>
/// The pipelined <see cref="PasswordSyncRunner"/> gives the same results as the sequential runner it replaced
/// (<see cref="ReferencePasswordSyncRunner"/>, a verbatim copy): for random directories (users read twice, older versions
/// included, users without objectGUID, password or Kerberos keys), random settings (export batch 1-6, pipeline block
/// 1-9 users, managed domain, force-change) and random steps (changes, scope, cloud resets, rejected and unanswered
/// users, failed batches, cancellations inside an export, a directory failing mid full sync, refused watermarks,
/// staging, scope-setting changes, requested and on-demand full syncs, restarts), both runners, each in its own
/// identical world with the same seeded salt source, produce after every step the same exported batches (digests,
/// salts, managed-domain records byte for byte, in the same batches and order), the same heartbeats, the same report
/// or exception, the same progress and the same saved state (dictionaries in the same order).
/// </summary>
public class SyncRunnerEquivalenceProperties
{
    [Property(Arbitrary = [typeof(EquivalenceArbitraries)], MaxTest = 250, EndSize = 60)]
    public void PipelinedRunner_MatchesTheSequentialReference(EquivalenceCase scenario)
    {
        var reference = new Side(scenario, pipelined: false);
        var pipelined = new Side(scenario, pipelined: true);
        for (int i = 0; i < scenario.Ops.Length; i++)
        {
            string expected = reference.Step(scenario.Ops[i]);
            string actual = pipelined.Step(scenario.Ops[i]);
            Assert.True(expected == actual, $"step {i} ({scenario.Ops[i]}) differs:\n--- reference\n{expected}\n--- pipelined\n{actual}");
        }
    }

    // The property is not vacuous: over a fixed long scenario both runners export many batches, across several
    // segments and blocks, and hit a cancellation, a source failure and a duplicate user in one full sync.
    [Fact]
    public void FixedScenario_ExportsAcrossSegmentsAndBlocks_AndTheRunnersAgree()
    {
        EquivalenceOp[] ops =
        [
            new(EquivalenceOpKind.Cycle, 0, 0), new(EquivalenceOpKind.Change, 1, 0), new(EquivalenceOpKind.Change, 2, 0),
            new(EquivalenceOpKind.StaleEcho, 1, 0), new(EquivalenceOpKind.RunFullSync, 0, 0), new(EquivalenceOpKind.RejectUserToggle, 3, 0),
            new(EquivalenceOpKind.CancelAtBatch, 0, 2), new(EquivalenceOpKind.RunFullSync, 0, 0), new(EquivalenceOpKind.SourceFaultAfter, 0, 5),
            new(EquivalenceOpKind.RunFullSync, 0, 0), new(EquivalenceOpKind.WaitForRetries, 0, 0), new(EquivalenceOpKind.Cycle, 0, 0),
        ];
        var scenario = new EquivalenceCase(12, 2, 3, FullSyncReadsTheLog: true, ManagedDomain: true, ForceChange: false, ops);
        var reference = new Side(scenario, pipelined: false);
        var pipelined = new Side(scenario, pipelined: true);
        int batches = 0;
        foreach (EquivalenceOp op in ops)
        {
            string expected = reference.Step(op);
            Assert.Equal(expected, pipelined.Step(op));
            batches += expected.Split('\n').Count(l => l.StartsWith("batch", StringComparison.Ordinal));
        }

        Assert.True(batches >= 15, $"only {batches} batches");
    }

    /// <summary>One runner (reference or pipelined) in its own world.</summary>
    private sealed class Side
    {
        private readonly EquivalenceCase _scenario;
        private readonly bool _pipelined;
        private readonly EquivalenceWorld _world;
        private Func<CancellationToken, Task<SyncCycleReport>> _cycle = null!;
        private Func<IProgress<FullSyncProgress>, CancellationToken, Task<SyncCycleReport>> _fullSync = null!;
        private Func<Task> _request = null!;

        public Side(EquivalenceCase scenario, bool pipelined)
        {
            _scenario = scenario;
            _pipelined = pipelined;
            _world = new EquivalenceWorld(scenario);
            NewRunner();
        }

        public string Step(EquivalenceOp op)
        {
            EquivalenceWorld w = _world;
            w.BeginStep();
            w.Clock.Now += TimeSpan.FromSeconds(1);
            int u = op.User % w.Users;
            var progress = new List<FullSyncProgress>();
            string outcome = "-";
            switch (op.Kind)
            {
                case EquivalenceOpKind.Change: w.Change(u); break;
                case EquivalenceOpKind.StaleEcho: w.StaleEcho(u); break;
                case EquivalenceOpKind.MustChangeToggle: w.ToggleMustChange(u); break;
                case EquivalenceOpKind.DisableToggle: w.ToggleDisabled(u); break;
                case EquivalenceOpKind.Delete: w.Delete(u); break;
                case EquivalenceOpKind.CloudReset: w.CloudReset(u); break;
                case EquivalenceOpKind.RejectUserToggle: w.ToggleRejected(u); break;
                case EquivalenceOpKind.SilentUserToggle: w.ToggleSilent(u); break;
                case EquivalenceOpKind.FailNextBatch: w.FailNextBatches++; break;
                case EquivalenceOpKind.CancelAtBatch:
                    w.CancelAtBatch = 1 + (op.Arg % 4);
                    outcome = Run(async () => await _fullSync(new ListProgress(progress), w.StepCancellation.Token));
                    break;
                case EquivalenceOpKind.SourceFaultAfter: w.SourceFaultAfter = op.Arg; break;
                case EquivalenceOpKind.RequireFullSync: w.NextChangesRequireFullSync = true; break;
                case EquivalenceOpKind.StagingToggle: w.Settings.StagingMode = !w.Settings.StagingMode; break;
                case EquivalenceOpKind.ManagedDomainToggle: w.Settings.ManagedDomainEnabled = !w.Settings.ManagedDomainEnabled; break;
                case EquivalenceOpKind.NtlmToggle: w.Settings.SyncNtlmPasswords = !w.Settings.SyncNtlmPasswords; break;
                case EquivalenceOpKind.RequestFullSync: outcome = Run(async () => { await _request(); return (SyncCycleReport?)null; }); break;
                case EquivalenceOpKind.RunFullSync: outcome = Run(async () => await _fullSync(new ListProgress(progress), w.StepCancellation.Token)); break;
                case EquivalenceOpKind.Restart: NewRunner(); break;
                case EquivalenceOpKind.WaitForRetries:
                    w.Clock.Now += w.Settings.RetryMaxDelay;
                    outcome = Run(async () => await _cycle(w.StepCancellation.Token));
                    break;
                case EquivalenceOpKind.Cycle:
                    w.Clock.Now += TimeSpan.FromMinutes(2);
                    w.CancelAtBatch = op.Arg % 5 == 4 ? 1 + (op.Arg % 3) : 0;
                    outcome = Run(async () => await _cycle(w.StepCancellation.Token));
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(op));
            }

            w.CancelAtBatch = 0;
            var trace = new StringBuilder();
            trace.Append("outcome ").Append(outcome).Append('\n');
            w.Events().ForEach(e => trace.Append(e).Append('\n'));
            progress.ForEach(p => trace.Append("progress ").Append(p).Append('\n'));
            trace.Append(Describe(w.Store.LoadAsync().AsTask().GetAwaiter().GetResult()));
            return trace.ToString();
        }

        private static string Run(Func<Task<SyncCycleReport?>> action)
        {
            try
            {
                return Describe(action().GetAwaiter().GetResult());
            }
            catch (OperationCanceledException)
            {
                return "cancelled";
            }
            catch (Exception e)
            {
                return $"threw {e.GetType().Name}: {e.Message}";
            }
        }

        private void NewRunner()
        {
            EquivalenceWorld w = _world;
            var planner = new SyncPlanner(new SyncModelKeyExtractor(), w.Random);
            if (_pipelined)
            {
                var runner = new PasswordSyncRunner(w, w, w.Store, planner, w.Settings, w.Clock, w) { BlockUsers = _scenario.BlockUsers };
                _cycle = t => runner.RunCycleAsync(t);
                _fullSync = (p, t) => runner.RunFullSyncAsync(p, t);
                _request = () => runner.RequestFullSyncAsync();
            }
            else
            {
                var runner = new ReferencePasswordSyncRunner(w, w, w.Store, planner, w.Settings, w.Clock, w);
                _cycle = t => runner.RunCycleAsync(t);
                _fullSync = (p, t) => runner.RunFullSyncAsync(p, t);
                _request = () => runner.RequestFullSyncAsync();
            }
        }

        private static string Describe(SyncCycleReport? r)
        {
            if (r is null)
            {
                return "done";
            }

            var s = new StringBuilder();
            s.Append(CultureInfo.InvariantCulture, $"{r.Kind} at {r.StartedAt:O} paused=[{string.Join(",", r.PauseReasons)}] exported={r.Exported} failed={r.Failed} skipped={r.Skipped} unchanged={r.Unchanged}");
            s.Append(CultureInfo.InvariantCulture, $" heartbeat={r.HeartbeatSent} queue={r.RetryQueueLength} fullReason={r.FullSyncReason} error={r.Error}");
            foreach (SyncUserOutcome o in r.Outcomes)
            {
                s.Append(CultureInfo.InvariantCulture, $"\n  {o.SourceAnchor} {o.DistinguishedName} {o.Action} {o.Status} [{string.Join(",", o.Reasons)}] {o.ChangeTime:O}");
            }

            return s.ToString();
        }

        private static string Describe(SyncState state)
        {
            var s = new StringBuilder("state ");
            s.Append(CultureInfo.InvariantCulture, $"wm={state.Watermark} initial={state.InitialSyncCompleted} requested={state.FullSyncRequested} stamp={state.ScopeSettingsStamp}");
            s.Append(CultureInfo.InvariantCulture, $" heartbeat={state.LastHeartbeat:O} export={state.LastSuccessfulExport:O} cycle={state.LastCycleCompleted:O} kind={state.LastCycleKind}\n");
            state.RecentErrors.ForEach(e => s.Append(CultureInfo.InvariantCulture, $"error {e.Time:O} {e.Message}\n"));
            foreach (KeyValuePair<string, SyncUserState> user in state.Users)
            {
                s.Append("user ").Append(user.Key).Append(' ').Append(user.Value).Append('\n');
            }

            foreach (KeyValuePair<string, SyncRetryEntry> retry in state.RetryQueue)
            {
                s.Append("retry ").Append(retry.Value).Append('\n');
            }

            return s.ToString();
        }
    }

    /// <summary>Records progress synchronously, on whichever task reports it.</summary>
    private sealed class ListProgress(List<FullSyncProgress> seen) : IProgress<FullSyncProgress>
    {
        public void Report(FullSyncProgress value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }
    }
}
