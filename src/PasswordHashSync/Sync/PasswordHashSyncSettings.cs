namespace PasswordHashSync.Sync;

/// <summary>
/// Tenant and connector settings that drive the sync policy engine. Read at the start of every cycle, so a
/// change (for example leaving staging mode) takes effect at the next cycle; validated each time.
/// </summary>
public sealed class PasswordHashSyncSettings
{
    /// <summary>The product's cycle: every 2 minutes ("You can't modify the frequency of this process").</summary>
    public static readonly TimeSpan DefaultCycleInterval = TimeSpan.FromMinutes(2);

    /// <summary>The idle heartbeat interval: 30 minutes (event 654).</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromMinutes(30);

    /// <summary>The window in which a heartbeat must have been recorded for a healthy channel: 3 hours.</summary>
    public static readonly TimeSpan HeartbeatHealthWindow = TimeSpan.FromHours(3);

    /// <summary>The most users per export batch: 50 (event 656).</summary>
    public const int MaxBatchSize = 50;

    /// <summary>The tenant feature <c>passwordSyncEnabled</c> (default <see langword="true"/>).</summary>
    public bool PasswordHashSyncEnabled { get; set; } = true;

    /// <summary>Whether this connector's password sync channel is enabled (default <see langword="true"/>).</summary>
    public bool ConnectorChannelEnabled { get; set; } = true;

    /// <summary>Whether the server is in staging mode: nothing is sent, the watermark does not move (default <see langword="false"/>).</summary>
    public bool StagingMode { get; set; }

    /// <summary>The tenant feature <c>userForcePasswordChangeOnLogonEnabled</c> (ForcePasswordChangeOnLogOn; default <see langword="false"/>).</summary>
    public bool ForcePasswordChangeOnLogOn { get; set; }

    /// <summary>The tenant feature <c>CloudPasswordPolicyForPasswordSyncedUsersEnabled</c> (default <see langword="false"/>).</summary>
    public bool CloudPasswordPolicyForPasswordSyncedUsersEnabled { get; set; }

    /// <summary>
    /// Whether disabled accounts are in scope. Default <see langword="false"/>: the default "In from AD – User
    /// AccountEnabled" rule only applies when userAccountControl bit 2 is clear.
    /// </summary>
    public bool SyncDisabledAccounts { get; set; }

    /// <summary>Selective password hash sync by <c>adminDescription</c> (default <see cref="SelectivePasswordHashSyncMode.None"/>).</summary>
    public SelectivePasswordHashSyncMode SelectivePasswordHashSync { get; set; }

    /// <summary>Whether the managed domain (Entra Domain Services) is enabled, so legacy NT hash and Kerberos keys are sent too.</summary>
    public bool ManagedDomainEnabled { get; set; }

    /// <summary>
    /// The managed domain's <c>SyncNtlmPasswords</c> (default <see langword="true"/>). When <see langword="false"/> a random
    /// high-entropy NT hash replaces the user's.
    /// </summary>
    public bool SyncNtlmPasswords { get; set; } = true;

    /// <summary>Whether the connector account has Replicate Directory Changes and Replicate Directory Changes All (default <see langword="true"/>).</summary>
    public bool HasReplicationPermissions { get; set; } = true;

    /// <summary>Whether a full directory sync has completed; password sync waits for it (default <see langword="true"/>).</summary>
    public bool FullDirectorySyncCompleted { get; set; } = true;

    /// <summary>
    /// The cycle interval used by <see cref="PasswordSyncRunner.RunAsync"/>. The product fixes it at 2 minutes; it is
    /// settable only so tests and simulations can run faster. Must be positive.
    /// </summary>
    public TimeSpan CycleInterval { get; set; } = DefaultCycleInterval;

    /// <summary>The idle heartbeat interval (default 30 minutes). Must be positive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeatInterval;

    /// <summary>The users per export batch, 1 to 50 (default 50).</summary>
    public int BatchSize { get; set; } = MaxBatchSize;

    /// <summary>The delay before the first retry of a failed export (default 2 minutes). Must be positive.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest delay between retries; the delay doubles up to it (default 1 hour).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The PBKDF2 iteration count of the salted digests sent to the cloud (default 1000).</summary>
    public int DigestIterationCount { get; set; } = Digest.SaltedDigest.DefaultIterationCount;

    /// <summary>Checks every setting and throws on the first invalid one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the exception names it and the rule.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(SelectivePasswordHashSync))
        {
            throw new ArgumentOutOfRangeException(nameof(SelectivePasswordHashSync), SelectivePasswordHashSync, "Not a defined selective sync mode.");
        }

        if (CycleInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CycleInterval), CycleInterval, "The cycle interval must be positive.");
        }

        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), HeartbeatInterval, "The heartbeat interval must be positive.");
        }

        if (BatchSize is < 1 or > MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"A batch holds 1 to {MaxBatchSize} users.");
        }

        if (RetryInitialDelay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryInitialDelay), RetryInitialDelay, "The first retry delay must be positive.");
        }

        if (RetryMaxDelay < RetryInitialDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryMaxDelay), RetryMaxDelay, "The longest retry delay must be at least the first retry delay.");
        }

        if (DigestIterationCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DigestIterationCount), DigestIterationCount, "The digest iteration count must be positive.");
        }
    }

    /// <summary>A copy of every setting (all are values), for the frozen options a service collection holds.</summary>
    internal PasswordHashSyncSettings Clone() => (PasswordHashSyncSettings)MemberwiseClone();
}
