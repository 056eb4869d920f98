namespace PasswordHashSync.Sync;

/// <summary>Values of the cloud user's <c>PasswordPolicies</c> attribute that the engine writes.</summary>
public static class CloudPasswordPolicies
{
    /// <summary>The cloud password never expires (written on every sync while the cloud policy feature is off).</summary>
    public const string DisablePasswordExpiration = "DisablePasswordExpiration";

    /// <summary>No special policy: the cloud expiration policy applies (replaces <see cref="DisablePasswordExpiration"/> lazily).</summary>
    public const string None = "None";
}
