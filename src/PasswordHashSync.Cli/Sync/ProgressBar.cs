namespace PasswordHashSync.Cli.Sync;

/// <summary>A one-line progress bar on standard error, drawn only when standard error is a terminal.</summary>
internal sealed class ProgressBar
{
    private const int Width = 30;
    private readonly TextWriter _error;
    private readonly int _total;
    private readonly bool _enabled;
    private int _lastPercent = -1;

    /// <summary>Creates a bar for <paramref name="total"/> items.</summary>
    /// <param name="error">Standard error.</param>
    /// <param name="total">The number of items.</param>
    /// <param name="enabled">Whether to draw (standard error is a terminal and the run is long enough to matter).</param>
    public ProgressBar(TextWriter error, int total, bool enabled)
    {
        _error = error;
        _total = Math.Max(total, 1);
        _enabled = enabled;
    }

    /// <summary>Shows that <paramref name="done"/> items are finished; redraws at most once per percent.</summary>
    /// <param name="done">Items finished.</param>
    public void Report(int done)
    {
        if (!_enabled)
        {
            return;
        }
        int percent = (int)(done * 100L / _total);
        if (percent == _lastPercent)
        {
            return;
        }
        _lastPercent = percent;
        int filled = percent * Width / 100;
        _error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}% {done}/{_total}");
    }

    /// <summary>Clears the bar's line.</summary>
    public void Finish()
    {
        if (_enabled)
        {
            _error.Write("\r" + new string(' ', Width + 30) + "\r");
        }
    }
}
