namespace PasswordHashSync.Sync;

/// <summary>
/// What the sync engine knows about a user beyond its directory attributes: its connector-space and cloud state.
/// The defaults describe a user that is provisioned normally on both sides.
/// </summary>
public sealed record SyncUserContext
{
    /// <summary>A user present in the on-premises connector space, provisioned and exported to the cloud.</summary>
    public static SyncUserContext Default { get; } = new();

    /// <summary>Whether the object is in the on-premises connector space (default <see langword="true"/>).</summary>
    public bool InConnectorSpace { get; init; } = true;

    /// <summary>Whether the object carries <c>cloudFiltered</c> (default <see langword="false"/>).</summary>
    public bool CloudFiltered { get; init; }

    /// <summary>Whether a corresponding cloud object exists (default <see langword="true"/>).</summary>
    public bool HasCloudObject { get; init; } = true;

    /// <summary>Whether the cloud object has been exported (default <see langword="true"/>).</summary>
    public bool CloudObjectExported { get; init; } = true;

    /// <summary>
    /// When the password was last changed in the cloud (an admin or self-service reset), if known. An on-premises change
    /// that is not newer than it is not sent (the reset holds until the next on-premises change), and diagnostics
    /// explain why the cloud password differs.
    /// </summary>
    public DateTimeOffset? CloudPasswordChanged { get; init; }
}
