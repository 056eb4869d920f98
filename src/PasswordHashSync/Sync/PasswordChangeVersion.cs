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
public readonly record struct PasswordChangeVersion(DateTimeOffset ChangeTime, bool MustChange)
{
    /// <summary>The version of a user's current password state.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is <see langword="null"/>.</exception>
    public static PasswordChangeVersion Of(DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        DateTimeOffset time = user.PasswordLastChanged ?? DateTimeOffset.MinValue;
        if (user.PwdLastSet is > 0 and <= MaxFileTime)
        {
            DateTimeOffset set = DateTimeOffset.FromFileTime(user.PwdLastSet.Value).ToUniversalTime();
            if (set > time)
            {
                time = set;
            }
        }

        return new PasswordChangeVersion(time, user.PwdLastSet == 0);
    }

    /// <summary>
    /// Whether the change time is known. It is not when neither <c>pwdLastSet</c> nor <c>PasswordLastChanged</c> gives
    /// one, typically a "must change" user read from a source without replication metadata.
    /// </summary>
    public bool IsTimeKnown => ChangeTime != DateTimeOffset.MinValue;

    /// <summary>
    /// Whether this version is older than <paramref name="other"/>: both times are known and this one is earlier. Two
    /// versions with the same time but a different must-change flag are a flag-only change (event 668) and neither is
    /// older; a version with an unknown time cannot be ordered and is never considered older.
    /// </summary>
    /// <param name="other">The version already applied.</param>
    /// <returns><see langword="true"/> when applying this version would overwrite a newer one.</returns>
    public bool IsOlderThan(PasswordChangeVersion other) => IsTimeKnown && other.IsTimeKnown && ChangeTime < other.ChangeTime;

    // DateTimeOffset.MaxValue as a FILETIME; larger values (0x7FFFFFFFFFFFFFFF means "never") are not change times.
    private const long MaxFileTime = 2650467743999999999;
}
