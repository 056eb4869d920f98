using System.Globalization;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// <c>pwsync agent status</c>: what the saved state says (last cycle, watermark age, retry queue, last errors) and how
/// many outbox segments wait. Reads without the lock, so it works while the agent runs.
/// </summary>
internal static class AgentStatusReport
{
    /// <summary>Prints the status.</summary>
    /// <param name="configPath">The agent configuration.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="DataException">The configuration is invalid or the state unreadable.</exception>
    public static int Run(string configPath, CliContext context)
    {
        (_, AgentOptions options) = AgentConfiguration.Load(configPath);
        SyncState state;
        try
        {
            state = FileSyncStateStore.ReadAsync(options.StatePath).AsTask().GetAwaiter().GetResult();
        }
        catch (SyncStateCorruptedException e)
        {
            throw new DataException(e.Message);
        }

        Write(context.Out, options, state, DateTimeOffset.UtcNow);
        return ExitCodes.Ok;
    }

    internal static void Write(TextWriter o, AgentOptions options, SyncState state, DateTimeOffset now)
    {
        o.WriteLine($"State file:       {options.StatePath}{(File.Exists(options.StatePath) ? string.Empty : " (none yet: the agent has not completed a cycle)")}");
        o.WriteLine($"Last cycle:       {When(state.LastCycleCompleted, now)}{(state.LastCycleKind is SyncCycleKind k ? $" ({k})" : string.Empty)}");
        o.WriteLine($"Watermark age:    {(state.LastCycleCompleted is DateTimeOffset t ? Age(now - t) : "no watermark saved yet")}");
        o.WriteLine($"Initial sync:     {(state.InitialSyncCompleted ? "completed" : "pending")}");
        bool markerPending = File.Exists(options.FullSyncRequestPath);
        o.WriteLine($"Full sync:        {(state.FullSyncRequested || markerPending ? "requested, runs at the next cycle" : "not requested")}");
        o.WriteLine($"Last export:      {When(state.LastSuccessfulExport, now)}");
        o.WriteLine($"Last heartbeat:   {When(state.LastHeartbeat, now)}");
        o.WriteLine($"Users known:      {state.Users.Count}");
        o.WriteLine($"Retry queue:      {state.RetryQueue.Count} user(s)");
        foreach (SyncRetryEntry retry in state.RetryQueue.Values.OrderBy(r => r.NextAttempt))
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {retry.SourceAnchor}  {retry.Attempts} failed attempt(s), next at {retry.NextAttempt:yyyy-MM-ddTHH:mm:ssZ}, change of {retry.Version.ChangeTime:yyyy-MM-ddTHH:mm:ssZ}"));
        }

        o.WriteLine($"Last errors:      {(state.RecentErrors.Count == 0 ? "none" : state.RecentErrors.Count.ToString(CultureInfo.InvariantCulture))}");
        foreach (SyncErrorEntry error in state.RecentErrors.AsEnumerable().Reverse().Take(10))
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {error.Time:yyyy-MM-ddTHH:mm:ssZ}  {error.Message}"));
        }

        int waiting = System.IO.Directory.Exists(options.OutboxDirectory)
            ? System.IO.Directory.EnumerateFiles(options.OutboxDirectory, "*" + RecordOutbox.SegmentExtension).Count(p => !Path.GetFileName(p).StartsWith('.'))
            : 0;
        o.WriteLine($"Outbox:           {options.OutboxDirectory}, {waiting} segment(s) waiting");
    }

    private static string When(DateTimeOffset? time, DateTimeOffset now) =>
        time is DateTimeOffset t ? string.Create(CultureInfo.InvariantCulture, $"{t:yyyy-MM-ddTHH:mm:ssZ} ({Age(now - t)} ago)") : "never";

    private static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours}h{age.Minutes:D2}m")
            : string.Create(CultureInfo.InvariantCulture, $"{age.Minutes}m{age.Seconds:D2}s");
    }
}
