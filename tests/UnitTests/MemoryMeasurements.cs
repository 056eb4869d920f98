namespace PasswordHashSync.UnitTests;

/// <summary>
/// Tests that measure process memory (GC heap growth, a scan of the process for key bytes) or allocate tens of MB on
/// purpose: they run alone, after the parallel tests, so one does not see another's allocations.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    /// <summary>The collection name.</summary>
    public const string Name = "Memory measurements";
}
