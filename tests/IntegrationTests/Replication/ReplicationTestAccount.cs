using System.Text.Json;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>What a test account is for, which decides how the fixture creates it.</summary>
public enum ReplicationTestAccountKind
{
    /// <summary>A user account.</summary>
    User,

    /// <summary>A computer account (its password is set after creation; salt "host…").</summary>
    Computer,
}

/// <summary>
/// One account the replication DC holds, with every password it was ever given (oldest first, current last), so a
/// test knows which NT hash each ntPwdHistory entry must be.
/// </summary>
/// <param name="SamAccountName">The sAMAccountName.</param>
/// <param name="Passwords">The passwords set, oldest first; the last one is current. Every one is a test password.</param>
/// <param name="UserPrincipalName">The UPN the account ends with, or <see langword="null"/> when it has none.</param>
/// <param name="Kind">User or computer.</param>
/// <param name="Demonstrates">Why the account is there.</param>
public sealed record ReplicationTestAccount(
    string SamAccountName,
    IReadOnlyList<string> Passwords,
    string? UserPrincipalName,
    ReplicationTestAccountKind Kind,
    string Demonstrates)
{
    /// <summary>The current password.</summary>
    public string Password => Passwords[^1];

    /// <summary>
    /// The accounts of the bundled sample (samples/directory.manifest.json, the hard cases: non-ASCII, emoji, UPN prefix
    /// differing from sAMAccountName, a password changed, disabled, filtered, computers) plus what the sample lacks:
    /// a 256-character password, an empty password and a user with four passwords (several ntPwdHistory entries).
    /// </summary>
    /// <param name="dnsDomain">The DNS domain UPNs are built in.</param>
    /// <returns>The accounts in creation order.</returns>
    public static IReadOnlyList<ReplicationTestAccount> Create(string dnsDomain)
    {
        var accounts = new List<ReplicationTestAccount>();
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "directory.manifest.json")));
        foreach (JsonElement a in manifest.RootElement.GetProperty("accounts").EnumerateArray())
        {
            string kind = a.GetProperty("kind").GetString()!;
            if (kind == "contact")
            {
                continue; // No account, no secrets: nothing for replication to compare.
            }

            string sam = a.GetProperty("sAMAccountName").GetString()!;
            var passwords = a.GetProperty("oldPasswords").EnumerateArray().Select(p => p.GetString()!).ToList();
            passwords.Add(a.GetProperty("password").GetString()!);
            string? upn = a.GetProperty("userPrincipalName").GetString();
            accounts.Add(new ReplicationTestAccount(
                sam,
                passwords,
                upn is null ? null : upn[..upn.IndexOf('@', StringComparison.Ordinal)] + "@" + dnsDomain,
                kind == "computer" ? ReplicationTestAccountKind.Computer : ReplicationTestAccountKind.User,
                a.GetProperty("demonstrates").GetString()!));
        }

        accounts.Add(new("long.password", [string.Concat(Enumerable.Repeat("Long-Pa55word-", 19))[..256]], "long.password@" + dnsDomain, ReplicationTestAccountKind.User, "256-character password (the Windows maximum)"));
        accounts.Add(new("empty.password", ["Not-Empty-Yet-1", string.Empty], "empty.password@" + dnsDomain, ReplicationTestAccountKind.User, "empty password (set through unicodePwd; samba-tool refuses an empty argument)"));
        accounts.Add(new("history.user", ["History-Pa55-1", "History-Pa55-2", "History-Pa55-3", "History-Pa55-4"], "history.user@" + dnsDomain, ReplicationTestAccountKind.User, "four passwords: ntPwdHistory holds four entries"));
        return accounts;
    }
}
