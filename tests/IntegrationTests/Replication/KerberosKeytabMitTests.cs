using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.TestSupport;
using static PasswordHashSync.IntegrationTests.Replication.ReplicationTestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// The independent check of the Kerberos path: the replication account's keys, replicated over the wire, written to a
/// keytab by the project's own <see cref="KeytabWriter"/>; MIT kinit, kvno and klist (not this library) get a TGT and a
/// service ticket for the DC from Samba's KDC with that keytab, and the library signs in with the same keytab and replicates.
/// </summary>
[Collection(ReplicationDomainControllerGroup.Name)]
public sealed class KerberosKeytabMitTests(ReplicationDomainController dc) : IDisposable
{
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("phs-krb-mit-").FullName;

    private static string DcHostName => ReplicationDomainController.HostName + "." + ReplicationDomainController.DnsDomain;

    [Fact]
    public async Task MIT_kinit_kvno_klist_get_tickets_for_the_agent_with_the_keytab_the_project_writes_and_the_library_replicates_with_it()
    {
        string kinit = ExternalTool.Require("kinit", "krb5-user");
        string kvno = ExternalTool.Require("kvno", "krb5-user");
        string klist = ExternalTool.Require("klist", "krb5-user");
        (string name, string password) = ReplicationDomainController.Replicator;
        string principal = name + "@" + ReplicationDomainController.Realm;
        string keytab = Path.Combine(_folder, "agent.keytab");
        await using (DrsReplicationClient ntlm = await ConnectAsync(dc, ReplicationDomainController.Replicator))
        {
            using ReplicatedAccount? account = await ntlm.ReplicateAccountAsync(name);
            IReadOnlyList<KerberosKey> keys = SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(account!.SupplementalCredentials);
            try
            {
                Assert.Contains(keys, k => k.EncryptionType == KerberosEncryptionType.Aes256CtsHmacSha196);
                KeytabWriter.WriteFile(keytab, keys.Select(k => new KeytabEntry(ReplicationDomainController.Realm, [name], k, 1, DateTimeOffset.UtcNow)));
            }
            finally
            {
                foreach (KerberosKey key in keys)
                {
                    key.Dispose();
                }
            }
        }

        string krb5Conf = Path.Combine(_folder, "krb5.conf");
        File.WriteAllText(krb5Conf,
            "[libdefaults]\n default_realm = " + ReplicationDomainController.Realm + "\n dns_lookup_kdc = false\n dns_lookup_realm = false\n rdns = false\n dns_canonicalize_hostname = false\n" +
            "[realms]\n " + ReplicationDomainController.Realm + " = {\n  kdc = " + dc.Address + ":88\n }\n");
        var environment = new Dictionary<string, string> { ["KRB5_CONFIG"] = krb5Conf, ["KRB5CCNAME"] = "FILE:" + Path.Combine(_folder, "ccache"), ["KRB5_TRACE"] = "/dev/null" };

        ExternalTool.Result init = ExternalTool.Run(kinit, ["-k", "-t", keytab, principal], environment: environment);
        Assert.True(init.ExitCode == 0, "kinit: " + init.StandardError);
        ExternalTool.Result service = ExternalTool.Run(kvno, ["host/" + DcHostName], environment: environment);
        Assert.True(service.ExitCode == 0, "kvno: " + service.StandardError);
        ExternalTool.Result list = ExternalTool.Run(klist, ["-e"], environment: environment);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("Default principal: " + principal, list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("krbtgt/" + ReplicationDomainController.Realm + "@" + ReplicationDomainController.Realm, list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("host/" + DcHostName + "@" + ReplicationDomainController.Realm, list.StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("aes256-cts-hmac-sha1-96", list.StandardOutput, StringComparison.Ordinal);

        // The library, with the same keytab and no password, against the DC given by address.
        using KerberosCredential fromKeytab = KerberosCredential.FromKeytab(keytab, name, ReplicationDomainController.Realm, dc.Address + ":88");
        await using DrsReplicationClient kerberos = await DrsReplicationClient.ConnectAsync(Options(dc), fromKeytab);
        using ReplicatedAccount? again = await kerberos.ReplicateAccountAsync(name);
        Assert.Equal(NtHash.Compute(password), again!.NtHash.ToArray());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
