namespace PasswordHashSync.Batch;

/// <summary>Counts finished items across threads and reports them; one per batch call that has a progress sink.</summary>
internal sealed class BatchProgressTracker(IProgress<BatchProgress> progress, int total)
{
    private int _completed;

    public static BatchProgressTracker? Create(IProgress<BatchProgress>? progress, int total) =>
        progress is null ? null : new BatchProgressTracker(progress, total);

    public void Advance(int items)
    {
        if (items > 0)
        {
            progress.Report(new BatchProgress(Interlocked.Add(ref _completed, items), total));
        }
    }
}
