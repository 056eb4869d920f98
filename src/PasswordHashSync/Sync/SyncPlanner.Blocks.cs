using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;

namespace PasswordHashSync.Sync;

/// <summary>The block planner: the same decisions as <see cref="SyncPlanner.Plan"/>, with the expensive parts batched.</summary>
public sealed partial class SyncPlanner
{
    /// <summary>
    /// Plans one block of users for the batch engine: every entry is decided exactly as <see cref="Decide"/> would
    /// (same reasons, same salts drawn from the random source in the same order), but the salted digests are left
    /// for <see cref="SyncPlan.ComputeDigests"/>, which computes the whole block at once on SIMD lanes and all cores.
    /// With the library's own Kerberos key extractor the managed-domain keys of the block are parsed on all cores too.
    /// </summary>
    /// <remarks>
    /// Unlike <see cref="Plan"/> nothing is collapsed: an entry is one decision, in order. A caller whose source may
    /// repeat a user collapses first (<see cref="CollapseToLatest"/>, or per block) so the newest change wins.
    /// The plan must be disposed; its <see cref="SyncPlan.Decisions"/> are readable after <see cref="SyncPlan.ComputeDigests"/>.
    /// </remarks>
    /// <param name="users">The block, in source order.</param>
    /// <param name="settings">The settings (validated here).</param>
    /// <param name="states">Remembered per-user state by source anchor, or <see langword="null"/> for none.</param>
    /// <param name="contextOf">The connector/cloud state of a user (called in order, on the calling thread), or <see langword="null"/>.</param>
    /// <param name="fullSync">Whether this is a full sync.</param>
    /// <returns>The plan, with its digests pending.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="users"/> or <paramref name="settings"/> is <see langword="null"/>, or a user is.</exception>
    public SyncPlan PlanBlock(
        IReadOnlyList<DirectoryUser> users,
        PasswordHashSyncSettings settings,
        IReadOnlyDictionary<string, SyncUserState>? states = null,
        Func<DirectoryUser, SyncUserContext>? contextOf = null,
        bool fullSync = false)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        IReadOnlyList<KerberosKey>?[]? keys = PreExtractKeys(users, settings);
        var digests = new SyncDigestBlock();
        var decisions = new List<SyncDecision>(users.Count);
        try
        {
            for (int i = 0; i < users.Count; i++)
            {
                DirectoryUser user = users[i];
                ArgumentNullException.ThrowIfNull(user, nameof(users));
                SyncUserState? previous = states is not null && states.TryGetValue(GetSourceAnchor(user), out SyncUserState? s) ? s : null;
                SyncDecision decision = DecideCore(user, settings, previous, contextOf?.Invoke(user), fullSync, digests, keys?[i]);
                decisions.Add(decision);
                if (keys?[i] is { } extracted && !ReferenceEquals(decision.ManagedDomainRecord?.KerberosKeys, extracted))
                {
                    // Parsed ahead for a user that did not need them (skipped, up to date, ...): zeroed now.
                    DisposeKeys(extracted);
                }

                if (keys is not null)
                {
                    keys[i] = null;
                }
            }
        }
        catch
        {
            DisposeRemaining(keys);
            new SyncPlan(decisions, digests).Dispose();
            throw;
        }

        return new SyncPlan(decisions, digests);
    }

    // Only the library's extractor is known to be pure and thread-safe; a caller's own extractor is called in order,
    // on the calling thread, as Decide does. Users that cannot export (no 16-byte NT hash, no blob) are left out.
    private IReadOnlyList<KerberosKey>?[]? PreExtractKeys(IReadOnlyList<DirectoryUser> users, PasswordHashSyncSettings settings)
    {
        if (!settings.ManagedDomainEnabled || !ReferenceEquals(_kerberosKeyExtractor, SupplementalCredentialsKerberosKeyExtractor.Instance) || users.Count < 2)
        {
            return null;
        }

        var keys = new IReadOnlyList<KerberosKey>?[users.Count];
        Parallel.For(0, users.Count, i =>
        {
            DirectoryUser? user = users[i];
            if (user is not null && user.NtHash.Length == NtHash.SizeInBytes && !user.SupplementalCredentials.IsEmpty)
            {
                keys[i] = ExtractKeys(user);
            }
        });
        return keys;
    }

    private static void DisposeRemaining(IReadOnlyList<KerberosKey>?[]? keys)
    {
        if (keys is null)
        {
            return;
        }

        foreach (IReadOnlyList<KerberosKey>? list in keys)
        {
            if (list is not null)
            {
                DisposeKeys(list);
            }
        }
    }

    private static void DisposeKeys(IReadOnlyList<KerberosKey> keys)
    {
        foreach (KerberosKey key in keys)
        {
            key.Dispose();
        }
    }
}
