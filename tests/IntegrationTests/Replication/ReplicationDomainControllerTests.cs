using PasswordHashSync.Directory;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// The fixture itself: the DC holds the accounts with the passwords the tests believe it does, and Samba's two views
/// (its database, its own replication client) agree. Every replication test rests on these facts.
/// </summary>
[Collection(ReplicationDomainControllerGroup.Name)]
public sealed class ReplicationDomainControllerTests(ReplicationDomainController dc)
{
    [Fact]
    public void Database_holds_every_account_with_the_nt_hash_of_its_known_password_and_its_history()
    {
        IReadOnlyDictionary<string, SambaStoredAccount> stored = dc.Reference.ReadDatabase();
        foreach (ReplicationTestAccount account in dc.Accounts)
        {
            SambaStoredAccount entry = stored[account.SamAccountName];
            Assert.True(NtHash.Compute(account.Password).AsSpan().SequenceEqual(entry.User.NtHash.Span), $"NT hash of {account.SamAccountName}");
            Assert.False(entry.User.SupplementalCredentials.IsEmpty, account.SamAccountName);

            // ntPwdHistory: newest first, one entry per password set (CarolW and ivan set the same one twice).
            string[] expected = account.Passwords.Reverse().Select(p => SambaReference.Hex(NtHash.Compute(p))).ToArray();
            Assert.Equal(expected, entry.NtHashHistory.Select(h => SambaReference.Hex(h)).ToArray());
        }

        Assert.Equal(4, stored["history.user"].NtHashHistory.Count);
        Assert.Equal("31d6cfe0d16ae931b73c59d7e0c089c0", SambaReference.Hex(stored["empty.password"].User.NtHash.Span));
        Assert.Null(stored["bob"].User.UserPrincipalName);
        Assert.Equal("carol.white@" + ReplicationDomainController.DnsDomain, stored["CarolW"].User.UserPrincipalName);
        Assert.True(stored["grace.disabled"].User.UserAccountControl.HasFlag(UserAccountControl.AccountDisabled));
        Assert.Equal(0, stored["frank.temp"].User.PwdLastSet);
        Assert.Equal("PHSFiltered", stored["heidi.filtered"].User.AdminDescription);
        Assert.True(stored["WS01$"].User.HasObjectClass("computer"));
        foreach (string name in new[] { ReplicationDomainController.Replicator.Name, ReplicationDomainController.GetChangesOnly.Name, ReplicationDomainController.PlainUser.Name })
        {
            Assert.True(stored.ContainsKey(name), name);
        }
    }

    [Fact]
    public void Samba_tool_clone_replicates_the_same_secrets_as_the_database_holds()
    {
        IReadOnlyDictionary<string, SambaStoredAccount> clone = dc.Reference.ReadSambaToolClone();
        IReadOnlyDictionary<string, SambaStoredAccount> stored = dc.Reference.ReadDatabase();
        foreach (ReplicationTestAccount account in dc.Accounts)
        {
            SambaStoredAccount a = stored[account.SamAccountName];
            SambaStoredAccount b = clone[account.SamAccountName];
            Assert.Equal(SambaReference.Hex(a.User.NtHash.Span), SambaReference.Hex(b.User.NtHash.Span));
            Assert.Equal(a.NtHashHistory.Select(h => SambaReference.Hex(h)), b.NtHashHistory.Select(h => SambaReference.Hex(h)));
            Assert.Equal(SambaReference.Hex(a.User.SupplementalCredentials.Span), SambaReference.Hex(b.User.SupplementalCredentials.Span));
            Assert.Equal(a.User.ObjectGuid, b.User.ObjectGuid);
        }
    }
}
