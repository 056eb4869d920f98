namespace PasswordHashSync.Sync;

// Where every committed outcome goes: the report's bounded list and the integrator's observer.
public sealed partial class PasswordSyncRunner
{
    /// <summary>
    /// Receives every user's outcome in commit order (<see cref="ISyncOutcomeObserver"/> states the contract), or
    /// <see langword="null"/> for none. The report keeps only the first <see cref="SyncCycleReport.MaxOutcomes"/>; this
    /// sees them all, so nothing in the runner grows with the directory but <see cref="SyncState.Users"/>.
    /// </summary>
    public ISyncOutcomeObserver? OutcomeObserver { get; init; }

    // Called by the commit for each user, under the state gate, in commit order.
    private void AddOutcome(SyncCycleReport report, SyncUserOutcome outcome)
    {
        report.AddOutcome(outcome);
        OutcomeObserver?.OnOutcome(outcome);
    }
}
