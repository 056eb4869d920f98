namespace PasswordHashSync.Batch;

/// <summary>Splits a batch into contiguous ranges for the parallel variants: whole lane chunks, a few per worker.</summary>
internal static class BatchPartitioner
{
    /// <summary>
    /// Runs <paramref name="body"/>(start, count) over ranges covering 0..<paramref name="count"/>. Ranges are multiples
    /// of 16 items (the widest lane count), at least <paramref name="minimumRange"/>, and about four per worker so a slow
    /// core does not hold the others up.
    /// </summary>
    public static void Run(int count, int minimumRange, int degree, Action<int, int> body, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        long perRange = Math.Max(minimumRange, ((long)count + (4L * degree) - 1) / (4L * degree));
        int rangeSize = (int)Math.Min(int.MaxValue - 16, (perRange + 15) / 16 * 16);
        int ranges = (int)(((long)count + rangeSize - 1) / rangeSize);
        var options = new ParallelOptions { MaxDegreeOfParallelism = degree, CancellationToken = cancellationToken };
        Parallel.For(0, ranges, options, r =>
        {
            int start = r * rangeSize;
            body(start, Math.Min(rangeSize, count - start));
        });
    }
}
