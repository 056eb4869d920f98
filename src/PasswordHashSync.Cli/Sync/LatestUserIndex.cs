using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// <see cref="SyncPlanner.CollapseToLatest"/> for a re-readable source (a file, the bundled sample) without holding the
/// directory: the same users in the same order (first-seen position, newest change wins, a later entry wins a tie).
/// </summary>
/// <remarks>
/// <para>Pass 1 reads the identities (DN, objectGUID) of the source once and keeps one 64-bit key per record (the objectGUID folded to 64 bits, or a
/// SHA-256 prefix of the distinguished name when there is none): 8 bytes per record, sorted in place, then dropped;
/// equal keys mark the candidates for collapsing.</para>
/// <para>Only when there are candidates, a second read collapses exactly those records by their full source anchor
/// (a key collision only makes a record a candidate; it cannot merge two users). What stays in memory is one winning
/// record per user that appears more than once: proportional to the repeated users, not to the directory.</para>
/// <para>The last read (<see cref="Users"/>) streams: a record is emitted at its first position, carrying the newest
/// change of its user; later entries of the same user are left out.</para>
/// </remarks>
internal sealed class LatestUserIndex
{
    private readonly Func<IEnumerable<DirectoryUser>> _read;
    private readonly HashSet<ulong> _candidates;
    private readonly Dictionary<string, DirectoryUser> _winners;

    private LatestUserIndex(Func<IEnumerable<DirectoryUser>> read, HashSet<ulong> candidates, Dictionary<string, DirectoryUser> winners, int records, int count)
    {
        _read = read;
        _candidates = candidates;
        _winners = winners;
        RecordCount = records;
        Count = count;
    }

    /// <summary>How many records the source holds.</summary>
    public int RecordCount { get; }

    /// <summary>How many users remain after collapsing (what <see cref="Users"/> yields).</summary>
    public int Count { get; }

    /// <summary>How many users appear more than once (each holds one record in memory).</summary>
    public int RepeatedUsers => _winners.Count;

    /// <summary>Builds the index, pass 1 with the full reader (every record validated before the first is planned).</summary>
    /// <param name="read">Reads the source from the start; called two or three times.</param>
    /// <returns>The index.</returns>
    public static LatestUserIndex Build(Func<IEnumerable<DirectoryUser>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Build(read, () => read().Select(u => new LdifObjectIdentity(u.DistinguishedName, u.ObjectGuid)));
    }

    /// <summary>
    /// Builds the index, pass 1 from <paramref name="identities"/> (for a file: <see cref="LdifDirectoryReader.ReadIdentities(Stream, LdifReaderOptions?)"/>,
    /// which decodes nothing but the DN and objectGUID, so a malformed record is found by the later full reads instead).
    /// </summary>
    /// <param name="read">Reads the source from the start; called once or twice.</param>
    /// <param name="identities">Reads the identities of the same records, in the same order.</param>
    /// <returns>The index.</returns>
    public static LatestUserIndex Build(Func<IEnumerable<DirectoryUser>> read, Func<IEnumerable<LdifObjectIdentity>> identities)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(identities);
        var keys = new List<ulong>();
        foreach (LdifObjectIdentity identity in identities())
        {
            keys.Add(KeyOf(identity.ObjectGuid, identity.DistinguishedName));
        }

        int records = keys.Count;
        var candidates = new HashSet<ulong>();
        Span<ulong> sorted = CollectionsMarshal.AsSpan(keys);
        sorted.Sort();
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] == sorted[i - 1])
            {
                candidates.Add(sorted[i]);
            }
        }

        keys.Clear();
        keys.TrimExcess();
        var winners = new Dictionary<string, DirectoryUser>(StringComparer.Ordinal);
        int dropped = 0;
        if (candidates.Count > 0)
        {
            // The same rule as SyncPlanner.CollapseToLatest, over the candidates only.
            var seen = new Dictionary<string, (DirectoryUser Latest, int Entries)>(StringComparer.Ordinal);
            foreach (DirectoryUser user in read())
            {
                if (!candidates.Contains(KeyOf(user)))
                {
                    continue;
                }

                string anchor = SyncPlanner.GetSourceAnchor(user);
                if (!seen.TryGetValue(anchor, out var entry))
                {
                    seen[anchor] = (user, 1);
                }
                else
                {
                    DirectoryUser latest = PasswordChangeVersion.Of(user).IsOlderThan(PasswordChangeVersion.Of(entry.Latest)) ? entry.Latest : user;
                    seen[anchor] = (latest, entry.Entries + 1);
                }
            }

            foreach (var (anchor, entry) in seen)
            {
                if (entry.Entries > 1)
                {
                    winners[anchor] = entry.Latest;
                    dropped += entry.Entries - 1;
                }
            }
        }

        return new LatestUserIndex(read, candidates, winners, records, records - dropped);
    }

    /// <summary>Reads the source again and yields the collapsed users, in first-seen order.</summary>
    /// <returns>The users.</returns>
    public IEnumerable<DirectoryUser> Users()
    {
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        foreach (DirectoryUser user in _read())
        {
            if (_winners.Count == 0 || !_candidates.Contains(KeyOf(user)))
            {
                yield return user;
                continue;
            }

            string anchor = SyncPlanner.GetSourceAnchor(user);
            if (!_winners.TryGetValue(anchor, out DirectoryUser? winner))
            {
                yield return user;
            }
            else if (emitted.Add(anchor))
            {
                yield return winner;
            }
        }
    }

    // Equal anchors give equal keys (the anchor is the objectGUID, else the DN: SyncPlanner.GetSourceAnchor).
    private static ulong KeyOf(DirectoryUser user) => KeyOf(user.ObjectGuid, user.DistinguishedName);

    private static ulong KeyOf(Guid? objectGuid, string distinguishedName)
    {
        if (objectGuid is Guid guid)
        {
            Span<byte> bytes = stackalloc byte[16];
            guid.TryWriteBytes(bytes);
            return BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(distinguishedName), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }
}
