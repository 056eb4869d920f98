using System.Globalization;
using System.Runtime;

namespace PasswordHashSync.Benchmarks.Replication;

/// <summary>
/// Memory figures of the current process for the replication benchmark: resident set now and at its peak (VmRSS,
/// VmHWM from /proc/self/status), the managed heap that survives a full blocking collection
/// (<see cref="GC.GetTotalMemory(bool)"/>), and the generation sizes after the last collection
/// (<see cref="GC.GetGCMemoryInfo()"/>: gen2, large object heap, committed, fragmented). Telling retained objects (a
/// leak: the heap after GC grows per chunk) from GC headroom (RSS grows, the heap after GC does not) needs all of them.
/// </summary>
internal static class MemoryProbe
{
    /// <summary>One <c>key=value</c> snapshot; <paramref name="collect"/> forces a full compacting collection first.</summary>
    public static string Snapshot(bool collect)
    {
        long live = collect ? GC.GetTotalMemory(forceFullCollection: true) : GC.GetTotalMemory(false);
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        ReadOnlySpan<GCGenerationInfo> generations = info.GenerationInfo;
        return string.Create(CultureInfo.InvariantCulture,
            $"rss_MiB={Status("VmRSS:"):F1} peak_rss_MiB={Status("VmHWM:"):F1} heap_after_gc_MiB={live / 1048576.0:F2} " +
            $"gen2_MiB={generations[2].SizeAfterBytes / 1048576.0:F2} loh_MiB={generations[3].SizeAfterBytes / 1048576.0:F2} " +
            $"committed_MiB={info.TotalCommittedBytes / 1048576.0:F1} fragmented_MiB={info.FragmentedBytes / 1048576.0:F2}");
    }

    /// <summary>The GC mode, for the record (Server GC, concurrent, conserve-memory setting).</summary>
    public static string GcMode() => string.Create(CultureInfo.InvariantCulture,
        $"server_gc={GCSettings.IsServerGC} latency={GCSettings.LatencyMode} conserve_memory={AppContext.GetData("GCConserveMemory") ?? Environment.GetEnvironmentVariable("DOTNET_GCConserveMemory") ?? "0"} " +
        $"heap_hard_limit={AppContext.GetData("GCHeapHardLimit") ?? Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit") ?? "none"}");

    /// <summary>A field of /proc/self/status in MiB (VmRSS:, VmHWM:).</summary>
    public static double Status(string field) => LibraryReplicationRun.StatusMiB(Environment.ProcessId, field);
}
