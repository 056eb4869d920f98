using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Ldap;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// Whole replication through <see cref="DrsReplicationClient"/> on the DC with <c>ntlm auth = disabled</c> (the same
/// fixture as the RPC-level tests, so one DC serves both): Kerberos with the DC given by IP address works, NTLM is
/// refused with a clear authentication error, negotiate picks Kerberos.
/// </summary>
public sealed partial class SambaKerberosRpcTests
{
    private DrsReplicationOptions ReplicationOptions => new()
    {
        DomainController = dc.Host, // an address: the host name comes from the rootDSE
        DnsDomain = SambaKerberosDc.Realm.ToLowerInvariant(),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        CallTimeout = TimeSpan.FromSeconds(60),
    };

    [Fact]
    public async Task RootDSE_of_the_DC_names_its_DNS_host_name()
    {
        string name = await RootDseHostNameLookup.GetDnsHostNameAsync(dc.Host, RootDseHostNameLookup.LdapPort, TimeSpan.FromSeconds(30), default);
        Assert.Equal(SambaKerberosDc.HostName, name);
    }

    [Fact]
    public async Task NTLM_disabled_DC_replicates_over_Kerberos_by_address_refuses_NTLM_clearly_and_negotiate_picks_Kerberos()
    {
        using (KerberosCredential kerberos = KerberosCredential.FromPassword("Administrator", SambaKerberosDc.Realm, dc.AdministratorPassword, dc.Kdc))
        {
            await using DrsReplicationClient client = await DrsReplicationClient.ConnectAsync(ReplicationOptions, kerberos);
            int accounts = 0;
            bool sawKrbtgt = false;
            await foreach (ReplicationChunk chunk in client.ReplicateAsync())
            {
                using (chunk)
                {
                    accounts += chunk.Accounts.Count;
                    sawKrbtgt |= chunk.Accounts.Any(a => a.SamAccountName == "krbtgt" && a.NtHash.Length == 16 && a.SupplementalCredentials.Length > 0);
                }
            }

            Assert.True(sawKrbtgt, "krbtgt with its secrets was not replicated");
            Assert.True(accounts >= 3, $"only {accounts} accounts");
            using ReplicatedAccount? administrator = await client.ReplicateAccountAsync("Administrator");
            Assert.Equal(NtHash.Compute(dc.AdministratorPassword), administrator!.NtHash.ToArray());
        }

        using (var ntlm = new NtlmCredential("Administrator", SambaKerberosDc.NetBiosDomain, dc.AdministratorPassword))
        {
            RpcAuthenticationException e = await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await DrsReplicationClient.ConnectAsync(ReplicationOptions, ntlm));
            Assert.Contains("refused the credentials of " + SambaKerberosDc.NetBiosDomain + "\\Administrator", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(dc.AdministratorPassword, e.ToString(), StringComparison.Ordinal);
        }

        using var negotiate = new NegotiateCredential(
            KerberosCredential.FromPassword("Administrator", SambaKerberosDc.Realm, dc.AdministratorPassword, dc.Kdc),
            new NtlmCredential("Administrator", SambaKerberosDc.NetBiosDomain, dc.AdministratorPassword));
        await using (DrsReplicationClient client = await DrsReplicationClient.ConnectAsync(ReplicationOptions, negotiate))
        {
            using ReplicatedAccount? administrator = await client.ReplicateAccountAsync("Administrator");
            Assert.NotNull(administrator);
        }

        Assert.Equal("Kerberos", negotiate.LastMechanism);
    }
}
