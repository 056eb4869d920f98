using PasswordHashSync.Digest;

namespace PasswordHashSync.Sync;

/// <summary>What is sent to the cloud for one user: the salted digest and the policy flags that go with it.</summary>
/// <remarks><see cref="ToString"/> never shows the digest hash.</remarks>
public sealed class CloudPasswordRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="sourceAnchor">The user's source anchor.</param>
    /// <param name="distinguishedName">The on-premises distinguished name (for logs).</param>
    /// <param name="digest">The salted digest of the NT hash.</param>
    /// <param name="passwordPolicies">The <c>PasswordPolicies</c> value to write, or <see langword="null"/> to leave it as it is.</param>
    /// <param name="forceChangePasswordNextSignIn">Whether the cloud must ask for a new password at next sign-in.</param>
    /// <param name="version">The on-premises change this record carries.</param>
    /// <exception cref="ArgumentNullException">A reference argument is <see langword="null"/>.</exception>
    public CloudPasswordRecord(string sourceAnchor, string distinguishedName, SaltedDigest digest, string? passwordPolicies, bool forceChangePasswordNextSignIn, PasswordChangeVersion version)
    {
        ArgumentNullException.ThrowIfNull(sourceAnchor);
        ArgumentNullException.ThrowIfNull(distinguishedName);
        ArgumentNullException.ThrowIfNull(digest);
        SourceAnchor = sourceAnchor;
        DistinguishedName = distinguishedName;
        Digest = digest;
        PasswordPolicies = passwordPolicies;
        ForceChangePasswordNextSignIn = forceChangePasswordNextSignIn;
        Version = version;
    }

    /// <summary>The source anchor that joins the on-premises user to the cloud user.</summary>
    public string SourceAnchor { get; }

    /// <summary>The on-premises distinguished name.</summary>
    public string DistinguishedName { get; }

    /// <summary>The salted digest; <see cref="SaltedDigest.ToWireString"/> is the value sent.</summary>
    public SaltedDigest Digest { get; }

    /// <summary>
    /// The <c>PasswordPolicies</c> value to write (<see cref="CloudPasswordPolicies.DisablePasswordExpiration"/> or
    /// <see cref="CloudPasswordPolicies.None"/>), or <see langword="null"/> to leave the attribute untouched.
    /// </summary>
    public string? PasswordPolicies { get; }

    /// <summary>Whether the cloud asks the user for a new password at next sign-in.</summary>
    public bool ForceChangePasswordNextSignIn { get; }

    /// <summary>The on-premises change carried; a target keeping a newer value may ignore an older record.</summary>
    public PasswordChangeVersion Version { get; }

    /// <summary>When the password changed on premises.</summary>
    public DateTimeOffset ChangeTime => Version.ChangeTime;

    /// <inheritdoc />
    public override string ToString() =>
        $"CloudPasswordRecord {{ {SourceAnchor}, policies {PasswordPolicies ?? "unchanged"}, force change {ForceChangePasswordNextSignIn}, changed {ChangeTime:O} }}";
}
