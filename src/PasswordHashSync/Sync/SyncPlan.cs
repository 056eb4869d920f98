namespace PasswordHashSync.Sync;

/// <summary>The decisions for a set of users: what to export and what to skip, with reasons.</summary>
/// <remarks>
/// A plan made by <see cref="SyncPlanner.PlanBlock"/> owes its salted digests until <see cref="ComputeDigests"/> has run
/// (the batch engine computes them together, on all cores); until then <see cref="Decisions"/> throws, so a digest is
/// never seen half made.
/// </remarks>
public sealed class SyncPlan : IDisposable
{
    private readonly IReadOnlyList<SyncDecision> _decisions;
    private SyncDigestBlock? _pending;

    internal SyncPlan(IReadOnlyList<SyncDecision> decisions, SyncDigestBlock? pending = null)
    {
        _decisions = decisions;
        _pending = pending;
    }

    /// <summary>One decision per distinct user, in the order the users were first seen.</summary>
    /// <exception cref="InvalidOperationException">The plan came from <see cref="SyncPlanner.PlanBlock"/> and <see cref="ComputeDigests"/> has not run.</exception>
    public IReadOnlyList<SyncDecision> Decisions => _pending is null
        ? _decisions
        : throw new InvalidOperationException("The plan's salted digests are not computed yet: call ComputeDigests first.");

    /// <summary>Whether the salted digests still have to be computed (<see cref="ComputeDigests"/>).</summary>
    public bool HasPendingDigests => _pending is not null;

    /// <summary>The decisions that send something.</summary>
    public IEnumerable<SyncDecision> Exports => Decisions.Where(d => d.Action == SyncAction.Export);

    /// <summary>The decisions that do not send anything because a rule prevents it.</summary>
    public IEnumerable<SyncDecision> Skips => Decisions.Where(d => d.Action == SyncAction.Skip);

    /// <summary>
    /// Computes the salted digests the plan owes with the batch engine (SIMD lanes, all cores unless limited); the
    /// result is byte for byte the single-operation digest. Does nothing when none is pending.
    /// </summary>
    /// <param name="maxDegreeOfParallelism">The most cores to use, or <see langword="null"/> for all of them.</param>
    /// <param name="cancellationToken">Stops between lane chunks; the plan is then disposed and unusable.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is not positive.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The plan was disposed.</exception>
    public void ComputeDigests(int? maxDegreeOfParallelism = null, CancellationToken cancellationToken = default)
    {
        if (_pending is not SyncDigestBlock pending)
        {
            return;
        }

        try
        {
            pending.Compute(maxDegreeOfParallelism, cancellationToken);
        }
        catch
        {
            Dispose();
            throw;
        }

        pending.Dispose();
        _pending = null;
    }

    /// <summary>
    /// Computes the pending digests of several plans in one call to the batch engine (a runner block holds several
    /// plans of at most one export batch each; together they fill the SIMD lanes and the cores). Byte for byte the
    /// digests <see cref="ComputeDigests"/> gives each plan alone: only the grouping of the same inputs changes.
    /// </summary>
    /// <param name="plans">The plans; those without pending digests are left as they are.</param>
    /// <param name="maxDegreeOfParallelism">The most cores, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Stops between lane chunks; every plan with pending digests is then disposed.</param>
    internal static void ComputeDigestsTogether(IReadOnlyList<SyncPlan> plans, int? maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        using var together = new SyncDigestBlock();
        try
        {
            foreach (SyncPlan plan in plans)
            {
                if (plan._pending is SyncDigestBlock pending)
                {
                    together.Absorb(pending);
                }
            }

            together.Compute(maxDegreeOfParallelism, cancellationToken);
        }
        catch
        {
            foreach (SyncPlan plan in plans)
            {
                if (plan._pending is not null)
                {
                    plan.Dispose();
                }
            }

            throw;
        }

        foreach (SyncPlan plan in plans)
        {
            plan._pending?.Dispose();
            plan._pending = null;
        }
    }

    /// <summary>Zeroes the secrets of every managed-domain record in the plan (and the NT hashes a pending plan holds).</summary>
    public void Dispose()
    {
        _pending?.Dispose();
        foreach (SyncDecision decision in _decisions)
        {
            decision.ManagedDomainRecord?.Dispose();
        }
    }
}
