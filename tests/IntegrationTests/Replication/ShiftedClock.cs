namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>The system clock moved by <see cref="Offset"/>: a client clock that runs ahead of the KDC's.</summary>
internal sealed class ShiftedClock : TimeProvider
{
    /// <summary>How far this clock is ahead of the real one.</summary>
    public TimeSpan Offset { get; set; }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
