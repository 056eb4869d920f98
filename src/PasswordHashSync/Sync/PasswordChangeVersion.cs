using PasswordHashSync.Directory;

namespace PasswordHashSync.Sync;

/// <summary>
/// Identifies one on-premises password state of a user: when it changed and whether it must be changed at next
/// logon. Orders changes so an older one never overwrites a newer one.
/// </summary>
/// <param name="ChangeTime">
/// The later of <see cref="DirectoryUser.PasswordLastChanged"/> and a non-zero <see cref="DirectoryUser.PwdLastSet"/>;
/// <see cref="DateTimeOffset.MinValue"/> when neither is known (see <see cref="IsTimeKnown"/>).
/// </param>
/// <param name="MustChange">Whether <c>pwdLastSet</c> is 0 ("user must change password at next logon").</param>
/// <param name="PasswordTime">
/// When the password itself changed: <see cref="DirectoryUser.PasswordLastChanged"/>, else a non-zero <c>pwdLastSet</c>,
/// else <see cref="DateTimeOffset.MinValue"/>. Setting or clearing "must change" alone does not move it.
/// </param>
public readonly record struct PasswordChangeVersion(DateTimeOffset ChangeTime, bool MustChange, DateTimeOffset PasswordTime)
{
    /// <summary>The version of a user's current password state.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is <see langword="null"/>.</exception>
    public static PasswordChangeVersion Of(DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        DateTimeOffset? set = user.PwdLastSet is > 0 and <= MaxFileTime
            ? DateTimeOffset.FromFileTime(user.PwdLastSet.Value).ToUniversalTime()
            : null;
        DateTimeOffset passwordTime = user.PasswordLastChanged ?? set ?? DateTimeOffset.MinValue;
        DateTimeOffset time = set is DateTimeOffset s && s > passwordTime ? s : passwordTime;
        return new PasswordChangeVersion(time, user.PwdLastSet == 0, passwordTime);
    }

    /// <summary>
    /// Whether the change time is known. It is not when neither <c>pwdLastSet</c> nor <c>PasswordLastChanged</c> gives
    /// one, typically a "must change" user read from a source without replication metadata.
    /// </summary>
    public bool IsTimeKnown => ChangeTime != DateTimeOffset.MinValue;

    /// <summary>
    /// Whether this version is older than <paramref name="other"/>: its password changed earlier, or (same password,
    /// neither in "must change") its <c>pwdLastSet</c> is earlier. A "must change" state of the same password cannot be
    /// ordered (<c>pwdLastSet = 0</c> carries no time) and neither can a version with an unknown time: such versions are
    /// never considered older, so the later observation wins.
    /// </summary>
    /// <param name="other">The version already applied.</param>
    /// <returns><see langword="true"/> when applying this version would overwrite a newer one.</returns>
    public bool IsOlderThan(PasswordChangeVersion other)
    {
        if (!IsTimeKnown || !other.IsTimeKnown)
        {
            return false;
        }

        if (PasswordTime != other.PasswordTime)
        {
            return PasswordTime < other.PasswordTime;
        }

        return !MustChange && !other.MustChange && ChangeTime < other.ChangeTime;
    }

    // DateTimeOffset.MaxValue as a FILETIME; larger values (0x7FFFFFFFFFFFFFFF means "never") are not change times.
    private const long MaxFileTime = 2650467743999999999;
}
