using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;
using PasswordHashSync.SupplementalCredentials;
using static PasswordHashSync.IntegrationTests.Replication.ReplicationTestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// Kerberos-authenticated replication from the shared Samba DC that allows both NTLM and Kerberos, with --dc given as
/// its IP address (the service principal's host name comes from the rootDSE): the same secrets as over NTLM, the
/// negotiate rules (fall back only when Kerberos is not possible), and the KDC's refusals as clear errors.
/// </summary>
[Collection(ReplicationDomainControllerGroup.Name)]
public sealed class KerberosReplicationTests(ReplicationDomainController dc)
{
    private static readonly (string Name, string Password) s_agent = ReplicationDomainController.Replicator;

    private string Kdc => dc.Address + ":88";

    private KerberosCredential Kerberos(string? password = null, string? user = null, string? kdc = null) =>
        KerberosCredential.FromPassword(user ?? s_agent.Name, ReplicationDomainController.Realm, password ?? s_agent.Password, kdc ?? Kdc);

    [Fact]
    public async Task Kerberos_replicates_exactly_the_secrets_NTLM_replicates_for_every_account()
    {
        Dictionary<string, ReplicatedSnapshot> overNtlm;
        await using (DrsReplicationClient ntlm = await ConnectAsync(dc, s_agent))
        {
            (overNtlm, _) = await ReplicateAsync(ntlm);
        }

        using KerberosCredential credential = Kerberos();
        Dictionary<string, ReplicatedSnapshot> overKerberos;
        await using (DrsReplicationClient kerberos = await DrsReplicationClient.ConnectAsync(Options(dc), credential))
        {
            (overKerberos, _) = await ReplicateAsync(kerberos);
        }

        Assert.Equal(1, credential.AuthenticationCount);
        Assert.Equal(overNtlm.Keys.Order(StringComparer.OrdinalIgnoreCase), overKerberos.Keys.Order(StringComparer.OrdinalIgnoreCase));
        int keys = 0;
        foreach ((string name, ReplicatedSnapshot expected) in overNtlm)
        {
            ReplicatedSnapshot actual = overKerberos[name];
            Assert.Equal(expected.ObjectSid, actual.ObjectSid);
            Assert.Equal(expected.NtHash, actual.NtHash);
            Assert.Equal(expected.NtHashHistory.Count, actual.NtHashHistory.Count);
            for (int i = 0; i < expected.NtHashHistory.Count; i++)
            {
                Assert.Equal(expected.NtHashHistory[i], actual.NtHashHistory[i]);
            }

            Assert.Equal(expected.SupplementalCredentials, actual.SupplementalCredentials);
            if (expected.SupplementalCredentials.Length > 0)
            {
                IReadOnlyList<KerberosKey> a = SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(expected.SupplementalCredentials);
                IReadOnlyList<KerberosKey> b = SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(actual.SupplementalCredentials);
                Assert.Equal(a.Select(k => (k.EncryptionType, Convert.ToHexString(k.Key.Span), Convert.ToHexString(k.Salt.Span))), b.Select(k => (k.EncryptionType, Convert.ToHexString(k.Key.Span), Convert.ToHexString(k.Salt.Span))));
                keys += a.Count;
            }
        }

        // The secrets decrypted under the Kerberos session key are the known passwords' (not merely equal garbage).
        Assert.Equal(NtHash.Compute(s_agent.Password), overKerberos[s_agent.Name].NtHash);
        Assert.True(keys >= 2 * dc.Accounts.Count, $"only {keys} Kerberos keys compared");
    }

    [Fact]
    public async Task Negotiate_signs_in_with_Kerberos_and_falls_back_to_NTLM_only_when_no_KDC_answers()
    {
        using (var negotiate = new NegotiateCredential(Kerberos(), Credential(s_agent)))
        {
            await using DrsReplicationClient client = await DrsReplicationClient.ConnectAsync(Options(dc), negotiate);
            using var account = await client.ReplicateAccountAsync(s_agent.Name);
            Assert.Equal("Kerberos", negotiate.LastMechanism);
            Assert.Equal(NtHash.Compute(s_agent.Password), account!.NtHash.ToArray());
        }

        // Port 1 of the DC's own address: nothing listens there, the connection is refused at once.
        using (var negotiate = new NegotiateCredential(Kerberos(kdc: dc.Address + ":1"), Credential(s_agent)))
        {
            await using DrsReplicationClient client = await DrsReplicationClient.ConnectAsync(Options(dc), negotiate);
            using var account = await client.ReplicateAccountAsync(s_agent.Name);
            Assert.Equal("NTLM", negotiate.LastMechanism);
            Assert.Contains("could not be reached", negotiate.LastFallbackReason, StringComparison.Ordinal);
            Assert.Equal(NtHash.Compute(s_agent.Password), account!.NtHash.ToArray());
        }
    }

    [Fact]
    public async Task Wrong_password_is_refused_by_the_KDC_and_negotiate_does_not_fall_back_to_NTLM()
    {
        const string Wrong = "Not-The-Password-42";
        using var negotiate = new NegotiateCredential(Kerberos(Wrong), new NtlmCredential(s_agent.Name, ReplicationDomainController.NetBiosDomain, Wrong));
        RpcAuthenticationException e = await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await DrsReplicationClient.ConnectAsync(Options(dc), negotiate));
        KerberosException kerberos = Assert.IsType<KerberosException>(e.InnerException);
        Assert.Equal(24, kerberos.ErrorCode); // KDC_ERR_PREAUTH_FAILED
        Assert.False(kerberos.IsKerberosUnavailable);
        Assert.Null(negotiate.LastMechanism); // NTLM was never tried
        Assert.Contains("the KDC " + Kdc + " refused it with KDC_ERR_PREAUTH_FAILED (24): wrong password", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_principal_is_KDC_ERR_C_PRINCIPAL_UNKNOWN_and_negotiate_then_tries_NTLM()
    {
        using KerberosCredential unknown = Kerberos(user: "no.such.agent");
        KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => unknown.GetTicketGrantingTicketAsync(default));
        Assert.Equal(6, e.ErrorCode);
        Assert.True(e.IsKerberosUnavailable);
        Assert.Contains("does not know the account no.such.agent@" + ReplicationDomainController.Realm, e.Message, StringComparison.Ordinal);

        // The KDC does not know it, so Kerberos is not possible: negotiate tries NTLM, which the DC refuses too.
        using var negotiate = new NegotiateCredential(Kerberos(user: "no.such.agent"), new NtlmCredential("no.such.agent", ReplicationDomainController.NetBiosDomain, "whatever"));
        RpcAuthenticationException refused = await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await DrsReplicationClient.ConnectAsync(Options(dc), negotiate));
        Assert.Equal("NTLM", negotiate.LastMechanism);
        Assert.Contains("no.such.agent", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_clock_an_hour_ahead_is_KRB_AP_ERR_SKEW_with_no_key_in_the_message()
    {
        using KerberosCredential credential = Kerberos();
        credential.Clock = new ShiftedClock { Offset = TimeSpan.FromHours(1) };
        KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => credential.GetTicketGrantingTicketAsync(default));
        Assert.Equal(37, e.ErrorCode);
        Assert.False(e.IsKerberosUnavailable);
        Assert.Contains("synchronize the time", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(s_agent.Password, e.ToString(), StringComparison.Ordinal);

        // Through the client: an authentication error, not a fallback and not a connectivity error.
        using var negotiate = new NegotiateCredential(Kerberos(), Credential(s_agent));
        negotiate.Kerberos.Clock = new ShiftedClock { Offset = TimeSpan.FromHours(1) };
        RpcAuthenticationException refused = await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await DrsReplicationClient.ConnectAsync(Options(dc), negotiate));
        Assert.Equal(37, Assert.IsType<KerberosException>(refused.InnerException).ErrorCode);
        Assert.Null(negotiate.LastMechanism);
    }

    [Fact]
    public async Task A_TGT_that_runs_out_between_connections_is_replaced_and_the_next_cycle_loses_no_change()
    {
        string user = "krb.expiry." + Guid.NewGuid().ToString("N")[..6];
        var clock = new ShiftedClock();
        using KerberosCredential credential = Kerberos();
        credential.Clock = clock;

        // An 8-minute TGT: valid now (more than the 5-minute renewal margin left), too short once the clock is 4 minutes
        // on, which the KDC still accepts (its skew allowance is 5 minutes).
        credential.RequestedTicketLifetime = TimeSpan.FromMinutes(8);
        ReplicationCookie cookie;
        await using (DrsReplicationClient first = await DrsReplicationClient.ConnectAsync(Options(dc), credential))
        {
            (_, List<ReplicationChunk> chunks) = await ReplicateAsync(first);
            cookie = chunks[^1].Cookie;
        }

        Assert.Equal(1, credential.AuthenticationCount);
        dc.SambaToolLocal("user", "create", user, "Expiry-Pa55-" + user);
        clock.Offset = TimeSpan.FromMinutes(4);

        Dictionary<string, ReplicatedSnapshot> changed;
        await using (DrsReplicationClient second = await DrsReplicationClient.ConnectAsync(Options(dc), credential))
        {
            (changed, _) = await ReplicateAsync(second, cookie);
        }

        Assert.Equal(2, credential.AuthenticationCount); // signed in again, with the password, not with the old TGT
        Assert.True(changed.ContainsKey(user), "the account created between the cycles is missing from the next one");
        Assert.Equal(NtHash.Compute("Expiry-Pa55-" + user), changed[user].NtHash);
    }
}
