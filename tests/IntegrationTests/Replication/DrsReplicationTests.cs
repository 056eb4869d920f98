using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.SupplementalCredentials;
using static PasswordHashSync.IntegrationTests.Replication.ReplicationTestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// The library replicating the live Samba DC over the network, compared with the two independent references: the DC's
/// own database (ldbsearch on sam.ldb) and Samba's own replication client (samba-tool drs clone-dc-database).
/// </summary>
[Collection(ReplicationDomainControllerGroup.Name)]
public sealed class DrsReplicationTests(ReplicationDomainController dc)
{
    [Fact]
    public async Task Whole_domain_replicated_by_the_dedicated_account_equals_the_DCs_database_for_every_account()
    {
        await using DrsReplicationClient client = await ConnectAsync(dc, ReplicationDomainController.Replicator);
        (Dictionary<string, ReplicatedSnapshot> replicated, _) = await ReplicateAsync(client);
        IReadOnlyDictionary<string, SambaStoredAccount> stored = dc.Reference.ReadDatabase();

        // Every user and computer of the database, and nothing else (groups also have a sAMAccountName).
        string[] expectedNames = [.. stored.Values.Where(s => s.User.HasObjectClass("user")).Select(s => s.User.SamAccountName!).Order(StringComparer.OrdinalIgnoreCase)];
        Assert.Equal(expectedNames, replicated.Keys.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Contains("krbtgt", expectedNames);
        int keys = 0;
        foreach (string name in expectedNames)
        {
            keys += AssertSameSecrets(name, stored[name], replicated[name]);
        }

        // Every fixture account has an NT hash, a history and Kerberos keys; the DC's own accounts too.
        Assert.True(keys >= 4 * dc.Accounts.Count, $"only {keys} Kerberos keys compared");
        Assert.Equal(ReplicationDomainController.DomainDn, client.DomainNamingContext, ignoreCase: true);
        Assert.NotEqual(Guid.Empty, client.DomainControllerDsaGuid);
    }

    [Fact]
    public async Task Whole_domain_equals_what_samba_tool_drs_clone_dc_database_replicated()
    {
        IReadOnlyDictionary<string, SambaStoredAccount> clone = dc.Reference.ReadSambaToolClone();
        await using DrsReplicationClient client = await ConnectAsync(dc, ReplicationDomainController.Replicator);
        (Dictionary<string, ReplicatedSnapshot> replicated, _) = await ReplicateAsync(client);
        foreach (ReplicationTestAccount account in dc.Accounts)
        {
            AssertSameSecrets(account.SamAccountName, clone[account.SamAccountName], replicated[account.SamAccountName]);
        }

        foreach (string name in new[] { "Administrator", "krbtgt", ReplicationDomainController.HostName.ToUpperInvariant() + "$" })
        {
            AssertSameSecrets(name, clone[name], replicated[name]);
        }
    }

    [Fact]
    public async Task Secrets_are_those_of_the_known_passwords_history_newest_first_and_aes_keys_from_the_stored_salt()
    {
        await using DrsReplicationClient client = await ConnectAsync(dc, ReplicationDomainController.Replicator);
        (Dictionary<string, ReplicatedSnapshot> replicated, _) = await ReplicateAsync(client);
        foreach (ReplicationTestAccount account in dc.Accounts)
        {
            ReplicatedSnapshot r = replicated[account.SamAccountName];
            Assert.Equal(SambaReference.Hex(NtHash.Compute(account.Password)), SambaReference.Hex(r.NtHash));
            Assert.Equal(account.Passwords.Reverse().Select(p => SambaReference.Hex(NtHash.Compute(p))), r.NtHashHistory.Select(h => SambaReference.Hex(h)));

            // The current AES keys are the password's, derived by the core with the salt and iterations the blob names.
            IReadOnlyList<KerberosKey> keys = SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(r.SupplementalCredentials);
            foreach (KerberosKey key in keys.Where(k => k.EncryptionType is KerberosEncryptionType.Aes256CtsHmacSha196 or KerberosEncryptionType.Aes128CtsHmacSha196))
            {
                IReadOnlyList<KerberosKey> derived = KerberosKeyDerivation.DeriveKeys(account.Password, key.Salt.ToArray(), [key.EncryptionType], key.IterationCount);
                Assert.Equal(SambaReference.Hex(derived[0].Key.Span), SambaReference.Hex(key.Key.Span));
            }

            Assert.Equal(2, keys.Count(k => k.EncryptionType is KerberosEncryptionType.Aes256CtsHmacSha196 or KerberosEncryptionType.Aes128CtsHmacSha196));
        }

        Assert.Equal(4, replicated["history.user"].NtHashHistory.Count);
        Assert.Equal("31d6cfe0d16ae931b73c59d7e0c089c0", SambaReference.Hex(replicated["empty.password"].NtHash));
        Assert.Equal("carol.white@" + ReplicationDomainController.DnsDomain, replicated["CarolW"].User.UserPrincipalName);
        Assert.Null(replicated["bob"].User.UserPrincipalName);
        Assert.True(replicated["grace.disabled"].User.UserAccountControl.HasFlag(UserAccountControl.AccountDisabled));
        Assert.True(replicated["WS01$"].User.HasObjectClass("computer"));
        Assert.Equal("PHSFiltered", replicated["heidi.filtered"].User.AdminDescription);
        Assert.Equal(0, replicated["frank.temp"].User.PwdLastSet);
    }

    [Fact]
    public async Task Administrator_in_chunks_of_seven_objects_gets_the_same_accounts_over_many_replies()
    {
        await using DrsReplicationClient one = await ConnectAsync(dc, ReplicationDomainController.Replicator);
        (Dictionary<string, ReplicatedSnapshot> whole, _) = await ReplicateAsync(one);
        await using DrsReplicationClient client = await ConnectAsync(dc, ("Administrator", ReplicationDomainController.AdministratorPassword), maxObjects: 7);
        (Dictionary<string, ReplicatedSnapshot> chunked, List<ReplicationChunk> chunks) = await ReplicateAsync(client);

        Assert.True(chunks.Count > 10, $"{chunks.Count} chunks");
        Assert.All(chunks, c => Assert.InRange(c.ObjectCount, 0, 7));
        Assert.All(chunks.SkipLast(1), c => Assert.False(c.IsLast));
        Assert.True(chunks[^1].IsLast);
        Assert.Equal(whole.Keys.Order(StringComparer.Ordinal), chunked.Keys.Order(StringComparer.Ordinal));
        foreach ((string name, ReplicatedSnapshot account) in whole)
        {
            Assert.Equal(SambaReference.Hex(account.SupplementalCredentials), SambaReference.Hex(chunked[name].SupplementalCredentials));
            Assert.Equal(SambaReference.Hex(account.NtHash), SambaReference.Hex(chunked[name].NtHash));
        }

        // Intermediate cookies resume the same cycle from the cycle's starting cursors; the last carries the DC's vector.
        Assert.All(chunks.SkipLast(1), c => Assert.Empty(c.Cookie.Cursors));
        Assert.NotEmpty(chunks[^1].Cookie.Cursors);
        Assert.Equal(chunks[^1].Cookie.InvocationId, chunks[0].Cookie.InvocationId);
    }

    [Theory]
    [InlineData("dave.nonascii")]
    [InlineData("CarolW")]
    [InlineData("WS01$")]
    [InlineData("history.user")]
    [InlineData("empty.password")]
    public async Task One_account_by_name_equals_the_DCs_database(string name)
    {
        await using DrsReplicationClient client = await ConnectAsync(dc, ReplicationDomainController.Replicator);
        using ReplicatedAccount? account = await client.ReplicateAccountAsync(name);
        Assert.NotNull(account);
        AssertSameSecrets(name, dc.Reference.ReadDatabase()[name], ReplicatedSnapshot.Of(account));
    }

    [Fact]
    public async Task An_unknown_account_name_gives_null()
    {
        await using DrsReplicationClient client = await ConnectAsync(dc, ReplicationDomainController.Replicator);
        Assert.Null(await client.ReplicateAccountAsync("no.such.user"));
    }

    /// <summary>Compares identity and every secret; returns how many Kerberos keys were compared.</summary>
    internal static int AssertSameSecrets(string name, SambaStoredAccount expected, ReplicatedSnapshot actual)
    {
        DirectoryUser e = expected.User;
        DirectoryUser a = actual.User;
        Assert.True(e.ObjectGuid == a.ObjectGuid, $"{name}: objectGUID");
        Assert.True(e.ObjectSid.Span.SequenceEqual(a.ObjectSid.Span), $"{name}: objectSid");
        Assert.True(e.UserPrincipalName == a.UserPrincipalName, $"{name}: userPrincipalName");
        Assert.True(e.UserAccountControl == a.UserAccountControl, $"{name}: userAccountControl");
        Assert.True(e.PwdLastSet == a.PwdLastSet, $"{name}: pwdLastSet");
        Assert.True(SambaReference.Hex(e.NtHash.Span) == SambaReference.Hex(actual.NtHash), $"{name}: NT hash");
        Assert.True(e.NtHash.Span.SequenceEqual(a.NtHash.Span), $"{name}: NT hash of the mapped user");
        Assert.True(expected.NtHashHistory.Select(h => SambaReference.Hex(h)).SequenceEqual(actual.NtHashHistory.Select(h => SambaReference.Hex(h))), $"{name}: ntPwdHistory");
        Assert.True(SambaReference.Hex(e.SupplementalCredentials.Span) == SambaReference.Hex(actual.SupplementalCredentials), $"{name}: supplementalCredentials");
        if (actual.SupplementalCredentials.Length == 0)
        {
            return 0;
        }

        // Every Kerberos key, current and old, of both Kerberos properties, one by one.
        SupplementalCredentialsBlob mine = SupplementalCredentialsBlob.Parse(actual.SupplementalCredentials);
        SupplementalCredentialsBlob theirs = SupplementalCredentialsBlob.Parse(e.SupplementalCredentials.Span);
        string[] myKeys = [.. AllKeys(mine)];
        Assert.Equal(AllKeys(theirs), myKeys);
        return myKeys.Length;
    }

    private static IEnumerable<string> AllKeys(SupplementalCredentialsBlob blob)
    {
        if (blob.KerberosNewerKeys is { } newer)
        {
            foreach (var key in newer.Credentials.Concat(newer.OldCredentials).Concat(newer.OlderCredentials))
            {
                yield return $"newer {key.EncryptionType} {key.IterationCount} {SambaReference.Hex(key.Key.Span)}";
            }
        }

        if (blob.Kerberos is { } kerberos)
        {
            foreach (var key in kerberos.Credentials.Concat(kerberos.OldCredentials))
            {
                yield return $"kerberos {key.EncryptionType} {SambaReference.Hex(key.Key.Span)}";
            }
        }
    }
}
