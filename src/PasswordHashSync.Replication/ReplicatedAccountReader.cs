using PasswordHashSync.Replication.Drsr;

namespace PasswordHashSync.Replication;

/// <summary>
/// The user and computer accounts of one GetNCChanges reply, secrets decrypted with the connection's session key
/// (MS-DRSR 4.1.10.6.17). Groups also carry a sAMAccountName but no password; they are left out.
/// </summary>
internal static class ReplicatedAccountReader
{
    /// <summary>Maps the reply's accounts.</summary>
    /// <param name="reply">The reply.</param>
    /// <param name="sessionKey">The RPC session key (copied into the decryptor, which zeroes it).</param>
    /// <returns>The accounts; the caller disposes each.</returns>
    public static ReplicatedAccount[] Read(GetNCChangesReply reply, ReadOnlySpan<byte> sessionKey)
    {
        using var decryptor = new ReplicatedSecretDecryptor(sessionKey);
        List<ReplicatedAccount> accounts = ReplicatedObjectMapper.MapAccounts(reply, decryptor);
        var users = new List<ReplicatedAccount>(accounts.Count);
        foreach (ReplicatedAccount account in accounts)
        {
            if (account.User.HasObjectClass("user"))
            {
                users.Add(account);
            }
            else
            {
                account.Dispose();
            }
        }

        return [.. users];
    }
}
