namespace PasswordHashSync.Sync;

/// <summary>
/// Receives every user's outcome as the runner commits it, so an integrator can log, count or list every user of a
/// cycle without <see cref="SyncCycleReport.Outcomes"/> holding them all (it keeps at most
/// <see cref="SyncCycleReport.MaxOutcomes"/>). Set it on <see cref="PasswordSyncRunner.OutcomeObserver"/>.
/// </summary>
/// <remarks>
/// <para>
/// Contract: <see cref="OnOutcome"/> is called once for every outcome of the cycle, the ones
/// <see cref="SyncCycleReport.Outcomes"/> leaves out included, in commit order (the order of the report's list:
/// users with nothing to send when their block is planned, exported users when their segment is committed), one call at
/// a time and never concurrently, from the runner's commit stage. A failed export is one outcome with
/// <see cref="PasswordSyncStatus.Error"/>; its retry in a later cycle is an outcome of that cycle.
/// </para>
/// <para>
/// The call runs while the commit holds the cycle's state, so the planner waits for it: keep it short (a write to a
/// buffered file, a counter, an enqueue), and do not call the runner from it. An exception from it fails the cycle
/// like a source failure: nothing of the cycle is saved, and the next cycle does the work again. The outcome holds no
/// secret.
/// </para>
/// </remarks>
public interface ISyncOutcomeObserver
{
    /// <summary>Called for one user's committed outcome.</summary>
    /// <param name="outcome">The outcome (also the one in <see cref="SyncCycleReport.Outcomes"/> when it is kept there).</param>
    void OnOutcome(SyncUserOutcome outcome);
}
