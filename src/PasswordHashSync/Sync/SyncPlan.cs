namespace PasswordHashSync.Sync;

/// <summary>The decisions for a set of users: what to export and what to skip, with reasons.</summary>
public sealed class SyncPlan : IDisposable
{
    internal SyncPlan(IReadOnlyList<SyncDecision> decisions) => Decisions = decisions;

    /// <summary>One decision per distinct user, in the order the users were first seen.</summary>
    public IReadOnlyList<SyncDecision> Decisions { get; }

    /// <summary>The decisions that send something.</summary>
    public IEnumerable<SyncDecision> Exports => Decisions.Where(d => d.Action == SyncAction.Export);

    /// <summary>The decisions that do not send anything because a rule prevents it.</summary>
    public IEnumerable<SyncDecision> Skips => Decisions.Where(d => d.Action == SyncAction.Skip);

    /// <summary>Zeroes the secrets of every managed-domain record in the plan.</summary>
    public void Dispose()
    {
        foreach (SyncDecision decision in Decisions)
        {
            decision.ManagedDomainRecord?.Dispose();
        }
    }
}
