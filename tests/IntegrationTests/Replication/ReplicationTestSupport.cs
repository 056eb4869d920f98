using PasswordHashSync.Directory;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Ntlm;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>A replicated account copied out of its chunk (whose secrets are zeroed on dispose), for assertions.</summary>
/// <param name="User">The mapped directory user.</param>
/// <param name="ObjectSid">The SID as text.</param>
/// <param name="NtHash">The NT hash (empty when absent).</param>
/// <param name="NtHashHistory">The history entries, newest first.</param>
/// <param name="SupplementalCredentials">The decrypted USER_PROPERTIES blob.</param>
public sealed record ReplicatedSnapshot(DirectoryUser User, string? ObjectSid, byte[] NtHash, IReadOnlyList<byte[]> NtHashHistory, byte[] SupplementalCredentials)
{
    /// <summary>Copies an account.</summary>
    /// <param name="account">The account.</param>
    /// <returns>The copy.</returns>
    public static ReplicatedSnapshot Of(ReplicatedAccount account) => new(
        Detached(account.User), account.ObjectSid, account.NtHash.ToArray(), [.. account.NtHashHistory.Select(h => h.ToArray())], account.SupplementalCredentials.ToArray());

    // The user with its own copies of the secrets, which the account's Dispose zeroes in the original.
    private static DirectoryUser Detached(DirectoryUser user) => new()
    {
        DistinguishedName = user.DistinguishedName,
        ObjectClasses = user.ObjectClasses,
        SamAccountName = user.SamAccountName,
        UserPrincipalName = user.UserPrincipalName,
        ObjectSid = user.ObjectSid.ToArray(),
        Rid = user.Rid,
        ObjectGuid = user.ObjectGuid,
        UserAccountControl = user.UserAccountControl,
        PwdLastSet = user.PwdLastSet,
        AdminDescription = user.AdminDescription,
        NtHash = user.NtHash.ToArray(),
        SupplementalCredentials = user.SupplementalCredentials.ToArray(),
        PasswordLastChanged = user.PasswordLastChanged,
    };
}

/// <summary>Connecting the library to the fixture DC as one of its accounts.</summary>
internal static class ReplicationTestSupport
{
    public static DrsReplicationOptions Options(ReplicationDomainController dc, int? port = null, TimeSpan? callTimeout = null, int maxObjects = 1000, string? host = null) => new()
    {
        DomainController = host ?? dc.Address.ToString(),
        Port = port,
        DnsDomain = ReplicationDomainController.DnsDomain,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        CallTimeout = callTimeout ?? TimeSpan.FromSeconds(60),
        MaxObjectsPerChunk = maxObjects,
    };

    public static NtlmCredential Credential((string Name, string Password) account) =>
        new(account.Name, ReplicationDomainController.NetBiosDomain, account.Password);

    public static async Task<DrsReplicationClient> ConnectAsync(ReplicationDomainController dc, (string Name, string Password) account, int maxObjects = 1000)
    {
        using NtlmCredential credential = Credential(account);
        return await DrsReplicationClient.ConnectAsync(Options(dc, maxObjects: maxObjects), credential);
    }

    /// <summary>Runs one cycle to the end and copies every account out.</summary>
    public static async Task<(Dictionary<string, ReplicatedSnapshot> Accounts, List<ReplicationChunk> Chunks)> ReplicateAsync(DrsReplicationClient client, ReplicationCookie? from = null)
    {
        var accounts = new Dictionary<string, ReplicatedSnapshot>(StringComparer.OrdinalIgnoreCase);
        var chunks = new List<ReplicationChunk>();
        await foreach (ReplicationChunk chunk in client.ReplicateAsync(from))
        {
            using (chunk)
            {
                foreach (ReplicatedAccount account in chunk.Accounts)
                {
                    accounts[account.SamAccountName!] = ReplicatedSnapshot.Of(account);
                }
            }

            chunks.Add(chunk);
        }

        return (accounts, chunks);
    }
}
