namespace PasswordHashSync.Batch;

/// <summary>Progress of a batch call, reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Completed">The number of items finished so far.</param>
/// <param name="Total">The number of items in the batch.</param>
/// <remarks>A value type, so reporting allocates nothing. Parallel batches report from worker threads.</remarks>
public readonly record struct BatchProgress(int Completed, int Total)
{
    /// <summary>The finished fraction, 0 to 1 (1 for an empty batch).</summary>
    public double Fraction => Total == 0 ? 1.0 : (double)Completed / Total;
}
