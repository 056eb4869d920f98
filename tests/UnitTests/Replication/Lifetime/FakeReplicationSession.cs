using System.Runtime.CompilerServices;
using PasswordHashSync.Directory;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;

namespace PasswordHashSync.UnitTests.Replication.Lifetime;

/// <summary>
/// A DC without a network for <see cref="DrsDirectoryChangeSource"/>: each cycle replies with fresh accounts (new
/// secret arrays, recorded in <see cref="Secrets"/> so a test can look at them after the source let go), in chunks.
/// </summary>
internal sealed class FakeReplicationSession : IReplicationSession
{
    public const string NamingContext = "DC=contoso,DC=com";

    private readonly string[] _names;

    public FakeReplicationSession(params string[] names) => _names = names;

    /// <summary>Users per reply.</summary>
    public int ChunkSize { get; init; } = 3;

    /// <summary>The DC's invocation ID; a cookie with another one makes the cycle a full one.</summary>
    public Guid InvocationId { get; set; } = new("11111111-2222-3333-4444-555555555555");

    /// <summary>Fail the cycle (as a connection reset does) after this many replies, or never.</summary>
    public int? FailAfterChunks { get; set; }

    /// <summary>A Win32 error the DC answers every request that carries a watermark with, or none.</summary>
    public int? RefuseWatermarksWith { get; set; }

    /// <summary>Every secret array handed to the source, by sAMAccountName (the latest replication of each).</summary>
    public Dictionary<string, Secret> Secrets { get; } = new(StringComparer.Ordinal);

    /// <summary>Every secret array of every account ever replicated.</summary>
    public List<Secret> AllSecrets { get; } = [];

    public string DomainNamingContext => NamingContext;

    public ReplicationCookie Cookie(long usn) => new(NamingContext, InvocationId, usn, 0, usn, [new ReplicationCursor(InvocationId, usn)]);

    public async IAsyncEnumerable<ReplicationChunk> ReplicateAsync(ReplicationCookie? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (from is not null && RefuseWatermarksWith is int refusal)
        {
            await Task.Yield();
            throw new DrsErrorException("IDL_DRSGetNCChanges", refusal);
        }

        bool full = from is null || from.InvocationId != InvocationId;
        for (int start = 0, chunk = 0; start < _names.Length; start += ChunkSize, chunk++)
        {
            await Task.Yield();
            if (FailAfterChunks == chunk)
            {
                throw new ReplicationConnectivityException("The connection was reset (fake).");
            }

            ReplicatedAccount[] accounts = [.. _names.Skip(start).Take(ChunkSize).Select(Account)];
            bool last = start + ChunkSize >= _names.Length;
            yield return new ReplicationChunk(accounts, accounts.Length, Cookie(100 + start), last, full, full && from is not null ? from.InvocationId : null);
        }
    }

    public ValueTask<ReplicationCookie> GetCurrentCookieAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Cookie(100));

    public ValueTask<ReplicatedAccount?> ReplicateObjectAsync(Guid objectGuid, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_names.FirstOrDefault(n => SyncUsers.GuidFor(n) == objectGuid) is string name ? Account(name) : null);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // The account as ReplicatedObjectMapper builds it: the user's NT hash and supplementalCredentials are the account's arrays.
    private ReplicatedAccount Account(string name)
    {
        DirectoryUser template = SyncUsers.User(name, password: "Pw-" + name);
        byte[] ntHash = template.NtHash.ToArray();
        byte[] history = [.. ntHash, .. SyncUsers.ReferenceNtHash("Old-" + name)];
        byte[] supplemental = template.SupplementalCredentials.ToArray();
        var secret = new Secret(name, ntHash, history, supplemental);
        Secrets[name] = secret;
        AllSecrets.Add(secret);
        var user = new DirectoryUser
        {
            DistinguishedName = template.DistinguishedName,
            SamAccountName = template.SamAccountName,
            ObjectGuid = template.ObjectGuid,
            ObjectClasses = template.ObjectClasses,
            UserAccountControl = template.UserAccountControl,
            PwdLastSet = template.PwdLastSet,
            PasswordLastChanged = template.PasswordLastChanged,
            NtHash = ntHash,
            SupplementalCredentials = supplemental,
        };
        return new ReplicatedAccount(user, ntHash, history, supplemental);
    }

    /// <summary>The secret arrays of one replicated account.</summary>
    public sealed record Secret(string Name, byte[] NtHash, byte[] History, byte[] SupplementalCredentials)
    {
        public bool IsZeroed => IsZero(NtHash) && IsZero(History) && IsZero(SupplementalCredentials);

        public bool IsIntact => !IsZero(NtHash) && !IsZero(History) && !IsZero(SupplementalCredentials);

        private static bool IsZero(byte[] bytes) => !bytes.AsSpan().ContainsAnyExcept((byte)0);
    }
}
