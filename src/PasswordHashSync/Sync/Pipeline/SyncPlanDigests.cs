namespace PasswordHashSync.Sync.Pipeline;

/// <summary>The digest stage of <see cref="SyncBlockPipeline{TPiece, TPlan}"/> for <see cref="SyncPlan"/>s: the batch engine.</summary>
internal static class SyncPlanDigests
{
    /// <summary>Computes every digest the block's plans owe in one call to the batch engine (SIMD lanes, all cores).</summary>
    /// <param name="plans">The block's plans.</param>
    /// <param name="cancellationToken">Stops between lane chunks; the plans with pending digests are then disposed.</param>
    public static void Compute(IReadOnlyList<SyncPlan> plans, CancellationToken cancellationToken)
    {
        if (plans.Count == 1)
        {
            // One plan (pwsync sync's blocks): its own digest block, without moving its inputs into a shared one.
            plans[0].ComputeDigests(maxDegreeOfParallelism: null, cancellationToken);
            return;
        }

        SyncPlan.ComputeDigestsTogether(plans, maxDegreeOfParallelism: null, cancellationToken);
    }
}
