using System.Text.Json.Serialization;

namespace PasswordHashSync.Sync;

// The on-disk shape of SyncState: flat, versioned, secret-free. Kept apart from SyncState so the public type can
// evolve without changing the file format.
internal sealed class SyncStateDocument
{
    public int FormatVersion { get; set; }

    public string? Watermark { get; set; }

    public bool InitialSyncCompleted { get; set; }

    public bool FullSyncRequested { get; set; }

    public string? ScopeSettingsStamp { get; set; }

    public DateTimeOffset? LastHeartbeat { get; set; }

    public DateTimeOffset? LastSuccessfulExport { get; set; }

    // Added in place (format version 1): files written before these fields load with them empty.
    public DateTimeOffset? LastCycleCompleted { get; set; }

    [JsonConverter(typeof(JsonStringEnumConverter<SyncCycleKind>))]
    public SyncCycleKind? LastCycleKind { get; set; }

    public List<SyncErrorEntryDocument>? RecentErrors { get; set; } = [];

    public List<SyncUserStateDocument> Users { get; set; } = [];

    public List<SyncRetryEntryDocument> RetryQueue { get; set; } = [];
}

internal sealed class SyncUserStateDocument
{
    public string? Anchor { get; set; }

    public DateTimeOffset? AppliedChangeTime { get; set; }

    public bool AppliedMustChange { get; set; }

    public DateTimeOffset? AppliedPasswordTime { get; set; }

    public bool InScope { get; set; }

    public bool DisablePasswordExpirationApplied { get; set; }

    public bool ManagedDomainPending { get; set; }
}

internal sealed class SyncErrorEntryDocument
{
    public DateTimeOffset Time { get; set; }

    public string? Message { get; set; }
}

internal sealed class SyncRetryEntryDocument
{
    public string? Anchor { get; set; }

    public DateTimeOffset ChangeTime { get; set; }

    public bool MustChange { get; set; }

    public DateTimeOffset PasswordTime { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttempt { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SyncStateDocument))]
internal sealed partial class SyncStateJsonContext : JsonSerializerContext;
