using System.Security.Cryptography;
using PasswordHashSync.Digest;
using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;

using PasswordHashSync.SupplementalCredentials;

namespace PasswordHashSync.Sync;

/// <summary>
/// The pure core of the sync engine: decides, for directory users, what is sent, with which policy, and why not.
/// No I/O and no clock: state comes in as arguments, randomness from <see cref="ISyncRandomSource"/>.
/// </summary>
public sealed partial class SyncPlanner
{
    /// <summary>The <c>adminDescription</c> value that excludes a user in <see cref="SelectivePasswordHashSyncMode.ExcludeFiltered"/> mode.</summary>
    public const string PhsFilteredMarker = "PHSFiltered";

    /// <summary>The <c>adminDescription</c> value that includes a user in <see cref="SelectivePasswordHashSyncMode.IncludeOnly"/> mode.</summary>
    public const string PhsIncludedMarker = "PHSIncluded";

    private readonly IKerberosKeyExtractor _kerberosKeyExtractor;
    private readonly ISyncRandomSource _random;

    /// <summary>Creates a planner.</summary>
    /// <param name="kerberosKeyExtractor">
    /// Extracts Kerberos keys for the managed domain; <see langword="null"/> for the library's
    /// <see cref="SupplementalCredentialsKerberosKeyExtractor"/>.
    /// </param>
    /// <param name="random">Salts and random NT hashes; <see langword="null"/> for <see cref="SystemSyncRandomSource"/>.</param>
    public SyncPlanner(IKerberosKeyExtractor? kerberosKeyExtractor = null, ISyncRandomSource? random = null)
    {
        _kerberosKeyExtractor = kerberosKeyExtractor ?? SupplementalCredentialsKerberosKeyExtractor.Instance;
        _random = random ?? SystemSyncRandomSource.Instance;
    }

    /// <summary>The source anchor of a user: base64 of its <c>objectGUID</c> (the cloud's immutable ID), else its distinguished name.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The anchor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is <see langword="null"/>.</exception>
    public static string GetSourceAnchor(DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.ObjectGuid is Guid guid ? Convert.ToBase64String(guid.ToByteArray()) : user.DistinguishedName;
    }

    /// <summary>
    /// Evaluates scope and eligibility: every documented reason that applies to the user under the settings, in order
    /// (channel, object class, connector/cloud presence, account state, selective sync, password state).
    /// </summary>
    /// <param name="user">The user.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="context">The connector/cloud state, or <see langword="null"/> for <see cref="SyncUserContext.Default"/>.</param>
    /// <returns>The evaluation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> or <paramref name="settings"/> is <see langword="null"/>.</exception>
    public static SyncEvaluation Evaluate(DirectoryUser user, PasswordHashSyncSettings settings, SyncUserContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(settings);
        context ??= SyncUserContext.Default;
        var reasons = new List<SyncReason>();
        AddChannelReasons(settings, reasons);

        // The structural class must be exactly user: iNetOrgPerson and computer derive from user but never sync a password.
        if (!string.Equals(user.StructuralObjectClass, "user", StringComparison.OrdinalIgnoreCase))
        {
            reasons.Add(SyncReason.NotUserObject);
        }

        if (!context.InConnectorSpace)
        {
            reasons.Add(SyncReason.NotInConnectorSpace);
        }

        if (context.CloudFiltered)
        {
            reasons.Add(SyncReason.CloudFiltered);
        }
        else if (!context.HasCloudObject)
        {
            reasons.Add(SyncReason.NoCloudObject);
        }
        else if (!context.CloudObjectExported)
        {
            reasons.Add(SyncReason.CloudObjectNotExported);
        }

        if ((user.UserAccountControl & UserAccountControl.AccountDisabled) != 0 && !settings.SyncDisabledAccounts)
        {
            reasons.Add(SyncReason.AccountDisabled);
        }

        // adminDescription is compared as the sync rule's EQUAL does: exact value, case-insensitive.
        bool filtered = string.Equals(user.AdminDescription, PhsFilteredMarker, StringComparison.OrdinalIgnoreCase);
        bool included = string.Equals(user.AdminDescription, PhsIncludedMarker, StringComparison.OrdinalIgnoreCase);
        if (settings.SelectivePasswordHashSync == SelectivePasswordHashSyncMode.ExcludeFiltered && filtered)
        {
            reasons.Add(SyncReason.SelectiveSyncFiltered);
        }
        else if (settings.SelectivePasswordHashSync == SelectivePasswordHashSyncMode.IncludeOnly && !included)
        {
            reasons.Add(SyncReason.SelectiveSyncNotIncluded);
        }

        if (user.NtHash.IsEmpty)
        {
            reasons.Add(SyncReason.NoPasswordHash);
        }
        else if (user.NtHash.Length != NtHash.SizeInBytes)
        {
            // One damaged user must not stop the channel: it is skipped with a reason, the others go on.
            reasons.Add(SyncReason.InvalidPasswordHash);
        }

        bool mustChange = user.PwdLastSet == 0;
        if (mustChange && !settings.ForcePasswordChangeOnLogOn)
        {
            reasons.Add(SyncReason.TemporaryPassword);
        }

        // PHS-2023: with "password never expires" set on premises the force-change flag is not set in the cloud.
        bool forceChange = mustChange && settings.ForcePasswordChangeOnLogOn
            && (user.UserAccountControl & UserAccountControl.DontExpirePassword) == 0;
        return new SyncEvaluation(reasons, forceChange);
    }

    /// <summary>Decides what to do with one user.</summary>
    /// <param name="user">The user.</param>
    /// <param name="settings">The settings (validated here).</param>
    /// <param name="previous">What was remembered about the user, or <see langword="null"/> for a user never seen.</param>
    /// <param name="context">The connector/cloud state, or <see langword="null"/> for the default.</param>
    /// <param name="fullSync">Whether this is a full sync: an already-applied change is sent again.</param>
    /// <returns>The decision; dispose its managed-domain record (or the plan) after use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> or <paramref name="settings"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The managed domain is enabled and no Kerberos key extractor was given.</exception>
    public SyncDecision Decide(DirectoryUser user, PasswordHashSyncSettings settings, SyncUserState? previous = null, SyncUserContext? context = null, bool fullSync = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return DecideCore(user, settings, previous, context, fullSync);
    }

    /// <summary>
    /// Plans a set of users: several entries for one user collapse to its newest change; each user is then decided
    /// against its remembered state.
    /// </summary>
    /// <param name="users">The users (for example a cycle's changes or a full directory read).</param>
    /// <param name="settings">The settings (validated here).</param>
    /// <param name="states">Remembered per-user state by source anchor, or <see langword="null"/> for none.</param>
    /// <param name="contextOf">The connector/cloud state of a user, or <see langword="null"/> for the default.</param>
    /// <param name="fullSync">Whether this is a full sync.</param>
    /// <returns>The plan; dispose it after export.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="users"/> or <paramref name="settings"/> is <see langword="null"/>, or a user is.</exception>
    public SyncPlan Plan(
        IEnumerable<DirectoryUser> users,
        PasswordHashSyncSettings settings,
        IReadOnlyDictionary<string, SyncUserState>? states = null,
        Func<DirectoryUser, SyncUserContext>? contextOf = null,
        bool fullSync = false)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var decisions = new List<SyncDecision>();
        try
        {
            foreach (DirectoryUser user in CollapseToLatest(users))
            {
                string anchor = GetSourceAnchor(user);
                SyncUserState? previous = states is not null && states.TryGetValue(anchor, out SyncUserState? s) ? s : null;
                decisions.Add(DecideCore(user, settings, previous, contextOf?.Invoke(user), fullSync));
            }
        }
        catch
        {
            new SyncPlan(decisions).Dispose();
            throw;
        }

        return new SyncPlan(decisions);
    }

    /// <summary>
    /// Keeps one entry per source anchor: the newest change (a later entry wins a tie), in first-seen order.
    /// </summary>
    /// <param name="users">The users.</param>
    /// <returns>The collapsed list.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="users"/> or one of its items is <see langword="null"/>.</exception>
    public static IReadOnlyList<DirectoryUser> CollapseToLatest(IEnumerable<DirectoryUser> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        var order = new List<string>();
        var latest = new Dictionary<string, DirectoryUser>(StringComparer.Ordinal);
        foreach (DirectoryUser user in users)
        {
            ArgumentNullException.ThrowIfNull(user, nameof(users));
            string anchor = GetSourceAnchor(user);
            if (!latest.TryGetValue(anchor, out DirectoryUser? seen))
            {
                order.Add(anchor);
                latest[anchor] = user;
            }
            else if (!PasswordChangeVersion.Of(user).IsOlderThan(PasswordChangeVersion.Of(seen)))
            {
                latest[anchor] = user;
            }
        }

        return order.ConvertAll(a => latest[a]);
    }

    internal static void AddChannelReasons(PasswordHashSyncSettings settings, List<SyncReason> reasons)
    {
        if (!settings.PasswordHashSyncEnabled)
        {
            reasons.Add(SyncReason.PasswordHashSyncNotEnabled);
        }

        if (!settings.ConnectorChannelEnabled)
        {
            reasons.Add(SyncReason.ConnectorChannelDisabled);
        }

        if (settings.StagingMode)
        {
            reasons.Add(SyncReason.StagingMode);
        }

        if (!settings.FullDirectorySyncCompleted)
        {
            reasons.Add(SyncReason.FullDirectorySyncNotCompleted);
        }

        if (!settings.HasReplicationPermissions)
        {
            reasons.Add(SyncReason.MissingReplicationPermissions);
        }
    }

    // digests: where a block planner collects the digest for the batch engine (null: computed here, one at a time).
    // keys: the Kerberos keys a block planner already extracted for this user (null: extracted here).
    private SyncDecision DecideCore(
        DirectoryUser user, PasswordHashSyncSettings settings, SyncUserState? previous, SyncUserContext? context, bool fullSync,
        SyncDigestBlock? digests = null, IReadOnlyList<KerberosKey>? keys = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        string anchor = GetSourceAnchor(user);
        PasswordChangeVersion version = PasswordChangeVersion.Of(user);
        SyncEvaluation evaluation = Evaluate(user, settings, context);
        var reasons = new List<SyncReason>(evaluation.Reasons);
        SyncUserState before = previous ?? new SyncUserState();

        if (!evaluation.CanSync)
        {
            // A channel-level pause says nothing about the user's scope; only a per-user rule takes it out of scope.
            SyncUserState after = evaluation.BlockedByUserRule ? before with { InScope = false } : before;
            return new SyncDecision(anchor, user.DistinguishedName, SyncAction.Skip, evaluation.Status, reasons, version, null, null, after) { SamAccountName = user.SamAccountName };
        }

        bool enteredScope = previous is not null && !previous.InScope;
        if (enteredScope)
        {
            reasons.Add(SyncReason.EnteredScope);
        }

        // A "must change" set on the password already applied happened after that state, so it is at least as new.
        DateTimeOffset effectiveTime = version.ChangeTime;
        if (version.MustChange && before.LastApplied is PasswordChangeVersion applied && applied.PasswordTime == version.PasswordTime && applied.ChangeTime > effectiveTime)
        {
            effectiveTime = applied.ChangeTime;
        }

        // §4.4: a cloud reset holds until the next on-premises change, which then wins; an older change (delayed by
        // staging, a retry or a scope change) must not overwrite it.
        if (version.IsTimeKnown && (context ?? SyncUserContext.Default).CloudPasswordChanged is DateTimeOffset cloudChanged && cloudChanged >= effectiveTime)
        {
            reasons.Add(SyncReason.CloudPasswordOverridden);
            return new SyncDecision(anchor, user.DistinguishedName, SyncAction.Superseded, PasswordSyncStatus.Success, reasons, version, null, null, before with { InScope = true }) { SamAccountName = user.SamAccountName };
        }

        if (before.LastApplied is PasswordChangeVersion last)
        {
            if (version.IsOlderThan(last))
            {
                return new SyncDecision(anchor, user.DistinguishedName, SyncAction.Superseded, PasswordSyncStatus.Success, reasons, version, null, null, before with { InScope = true }) { SamAccountName = user.SamAccountName };
            }

            // A version without a known time cannot be told apart from a newer one with the same flag: send it again
            // (re-applying is harmless) rather than risk missing a change.
            if (version == last && version.IsTimeKnown && !fullSync && !enteredScope && !(settings.ManagedDomainEnabled && before.ManagedDomainPending))
            {
                return new SyncDecision(anchor, user.DistinguishedName, SyncAction.UpToDate, PasswordSyncStatus.Success, reasons, version, null, null, before with { InScope = true }) { SamAccountName = user.SamAccountName };
            }
        }

        bool isNewChange = before.LastApplied != version;
        string? policies;
        if (!settings.CloudPasswordPolicyForPasswordSyncedUsersEnabled)
        {
            policies = CloudPasswordPolicies.DisablePasswordExpiration;
        }
        else if (before.DisablePasswordExpirationApplied && isNewChange)
        {
            // Lazy removal: only the user's next on-premises change clears the flag; new users get no policy at all.
            policies = CloudPasswordPolicies.None;
        }
        else
        {
            policies = null;
        }

        bool disableExpirationAfter = policies == CloudPasswordPolicies.DisablePasswordExpiration
            || (policies is null && before.DisablePasswordExpirationApplied);

        SaltedDigest digest = CreateDigest(user.NtHash.Span, settings.DigestIterationCount, digests);
        var cloud = new CloudPasswordRecord(anchor, user.DistinguishedName, digest, policies, evaluation.ForceChangePasswordNextSignIn, version);

        PasswordSyncStatus status = PasswordSyncStatus.Success;
        ManagedDomainRecord? managed = null;
        bool managedPending = false;
        if (settings.ManagedDomainEnabled)
        {
            managed = CreateManagedDomainRecord(user, anchor, settings, disableExpirationAfter, evaluation.ForceChangePasswordNextSignIn, keys);
            if (managed is null)
            {
                managedPending = true;
                reasons.Add(SyncReason.KerberosKeysMissing);
                status = PasswordSyncStatus.MissingAttribute;
            }
            else if (before.ManagedDomainPending)
            {
                reasons.Add(SyncReason.KerberosKeysRetried);
                status = PasswordSyncStatus.RetryRequestedByTarget;
            }
        }

        var success = new SyncUserState
        {
            LastApplied = version,
            InScope = true,
            DisablePasswordExpirationApplied = disableExpirationAfter,
            ManagedDomainPending = managedPending,
        };
        return new SyncDecision(anchor, user.DistinguishedName, SyncAction.Export, status, reasons, version, cloud, managed, success) { SamAccountName = user.SamAccountName };
    }

    private SaltedDigest CreateDigest(ReadOnlySpan<byte> ntHash, int iterationCount, SyncDigestBlock? digests)
    {
        // The salt is drawn here in both paths, so the random source is read in the same order by both.
        Span<byte> salt = stackalloc byte[SaltedDigest.SaltSize];
        _random.Fill(salt);
        return digests is null ? SaltedDigest.FromNtHash(ntHash, salt, iterationCount) : digests.Add(ntHash, salt, iterationCount);
    }

    private ManagedDomainRecord? CreateManagedDomainRecord(
        DirectoryUser user, string anchor, PasswordHashSyncSettings settings, bool dontExpire, bool forceChange, IReadOnlyList<KerberosKey>? extracted)
    {
        IReadOnlyList<KerberosKey> keys = extracted ?? ExtractKeys(user);
        if (keys.Count == 0)
        {
            return null;
        }

        Span<byte> nt = stackalloc byte[NtHash.SizeInBytes];
        try
        {
            if (settings.SyncNtlmPasswords)
            {
                user.NtHash.Span.CopyTo(nt);
            }
            else
            {
                // SyncNtlmPasswords disabled: a random high-entropy NT hash, different from the user's password.
                _random.Fill(nt);
            }

            return new ManagedDomainRecord(anchor, nt, !settings.SyncNtlmPasswords, keys, dontExpire, forceChange);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(nt);
        }
    }

    private IReadOnlyList<KerberosKey> ExtractKeys(DirectoryUser user)
    {
        try
        {
            return user.SupplementalCredentials.IsEmpty ? [] : _kerberosKeyExtractor.ExtractCurrentKeys(user.SupplementalCredentials);
        }
        catch (FormatException)
        {
            // A malformed blob yields no usable key: reported as MissingAttribute and retried, like an absent one.
            return [];
        }
    }
}
