using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// An <see cref="IDirectoryChangeSource"/> over an LDIF export that is re-read every cycle (replace it atomically:
/// write a new file and rename it over the old one). The watermark is a fingerprint of every user's change stamp, so a
/// re-read reports only the users whose stamp moved since the last completed cycle.
/// </summary>
/// <remarks>
/// The change stamp is built from non-secret attributes only: distinguished name, sAMAccountName, userPrincipalName,
/// objectClass, userAccountControl, pwdLastSet (and the password change time), adminDescription. A domain controller
/// sets pwdLastSet on every password change, so an export sees every change; a hand-edited file must change pwdLastSet
/// with unicodePwd. The hashes never enter the watermark: an unsalted digest of an NT hash in the state file would be
/// a password verifier an attacker could test guesses against.
/// </remarks>
internal sealed class LdifFileChangeSource : IDirectoryChangeSource
{
    private const string Prefix = "ldif-v1:";
    private const int EntrySize = 16;

    private readonly LdifReaderOptions? _limits;

    /// <summary>Creates the source.</summary>
    /// <param name="path">The LDIF file.</param>
    /// <param name="limits">The reader limits (<c>Agent:Source:Ldif</c>), or <see langword="null"/> for the defaults.</param>
    public LdifFileChangeSource(string path, LdifReaderOptions? limits = null)
    {
        FilePath = Path.GetFullPath(path);
        _limits = limits;
    }

    /// <summary>The LDIF file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken)
    {
        Dictionary<ulong, ulong> seen = ParseWatermark(watermark);
        List<DirectoryUser> users = ReadAll(cancellationToken);
        var changed = new List<DirectoryUser>();
        foreach (DirectoryUser user in users)
        {
            (ulong anchor, ulong stamp) = Fingerprint(user);
            if (!seen.TryGetValue(anchor, out ulong before) || before != stamp)
            {
                changed.Add(user);
            }
        }

        return ValueTask.FromResult(new DirectoryChangeSet(changed, BuildWatermark(users)));
    }

    /// <inheritdoc />
    public ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(BuildWatermark(ReadAll(cancellationToken)));

    /// <inheritdoc />
    public ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ReadAll(cancellationToken).LastOrDefault(u => SyncPlanner.GetSourceAnchor(u) == sourceAnchor));

    /// <inheritdoc />
    public async IAsyncEnumerable<DirectoryUser> GetAllUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (DirectoryUser user in LdifDirectoryReader.ReadFileAsync(FilePath, _limits, cancellationToken).ConfigureAwait(false))
        {
            yield return user;
        }
    }

    /// <summary>The fingerprint of one user: a hash of its anchor and a hash of its change stamp.</summary>
    internal static (ulong Anchor, ulong Stamp) Fingerprint(DirectoryUser user)
    {
        string stamp = string.Join(
            '\n',
            user.DistinguishedName,
            user.SamAccountName ?? string.Empty,
            user.UserPrincipalName ?? string.Empty,
            string.Join(',', user.ObjectClasses),
            ((uint)user.UserAccountControl).ToString(CultureInfo.InvariantCulture),
            user.PwdLastSet?.ToString(CultureInfo.InvariantCulture) ?? "-",
            user.PasswordLastChanged?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "-",
            user.AdminDescription ?? string.Empty);
        return (Hash64(SyncPlanner.GetSourceAnchor(user)), Hash64(stamp));
    }

    private static ulong Hash64(string text) => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string BuildWatermark(List<DirectoryUser> users)
    {
        var entries = new SortedDictionary<ulong, ulong>();
        foreach (DirectoryUser user in users)
        {
            (ulong anchor, ulong stamp) = Fingerprint(user);
            entries[anchor] = stamp; // A user listed twice: the later record wins, as in the reader's file order.
        }

        byte[] bytes = new byte[entries.Count * EntrySize];
        int offset = 0;
        foreach ((ulong anchor, ulong stamp) in entries)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), anchor);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset + 8), stamp);
            offset += EntrySize;
        }

        return Prefix + Convert.ToBase64String(bytes);
    }

    private static Dictionary<ulong, ulong> ParseWatermark(string? watermark)
    {
        var entries = new Dictionary<ulong, ulong>();
        if (watermark is null)
        {
            return entries;
        }

        byte[] bytes;
        try
        {
            bytes = watermark.StartsWith(Prefix, StringComparison.Ordinal) ? Convert.FromBase64String(watermark[Prefix.Length..]) : [];
        }
        catch (FormatException)
        {
            bytes = [];
        }

        if (!watermark.StartsWith(Prefix, StringComparison.Ordinal) || bytes.Length % EntrySize != 0)
        {
            // Another source's watermark (the configuration switched sources): everything counts as changed, which is
            // safe (re-sending is harmless; the planner skips what was already applied).
            return entries;
        }

        for (int offset = 0; offset < bytes.Length; offset += EntrySize)
        {
            entries[BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset))] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset + 8));
        }

        return entries;
    }

    private List<DirectoryUser> ReadAll(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return [.. LdifDirectoryReader.ReadFile(FilePath, _limits)];
    }
}
