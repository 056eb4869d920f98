namespace PasswordHashSync.Batch;

/// <summary>
/// Counts finished items across threads and reports them; one per batch call that has a progress sink. Kernels
/// call <see cref="Advance"/> once per chunk; the tracker reports at most once per <c>reportEvery</c> items (and
/// always when the total is reached), so cheap items such as NT hashes do not flood the sink.
/// </summary>
internal sealed class BatchProgressTracker(IProgress<BatchProgress> progress, int total, int reportEvery)
{
    private int _completed;

    public static BatchProgressTracker? Create(IProgress<BatchProgress>? progress, int total, int reportEvery = 1) =>
        progress is null ? null : new BatchProgressTracker(progress, total, Math.Max(1, reportEvery));

    public void Advance(int items)
    {
        if (items <= 0)
        {
            return;
        }

        int after = Interlocked.Add(ref _completed, items);
        int before = after - items;
        if (after == total || before / reportEvery != after / reportEvery)
        {
            progress.Report(new BatchProgress(after, total));
        }
    }
}
