using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication.Kerberos;

/// <summary>
/// When a DC refuses the bind of a Kerberos context, which refusals make the credential drop its TGT and the
/// connection try once more (<see cref="ReplicationCredential.RenewAfterRefusedBindAsync"/>): KRB_AP_ERR_TKT_EXPIRED in
/// a KRB-ERROR token, and a bind_nak, fault or silent failure of the authentication legs (how Samba reports an expired
/// ticket); never another Kerberos error (clock skew, a failed integrity check), a failure that is no bind refusal, or
/// an NTLM sign-in. The refused bind against Samba is in the integration tests (SambaKerberosTicketExpiryTests).
/// </summary>
public sealed class KerberosRenewalAfterRefusedBindTests
{
    private static readonly string[] s_kinds =
    [
        "KRB_AP_ERR_TKT_EXPIRED token", "bind_nak", "fault after auth3", "KRB_AP_ERR_SKEW token", "KRB_AP_ERR_BAD_INTEGRITY token",
        "rejected presentation context", "connection reset during a call",
    ];

    public static TheoryData<string, bool> Refusals() => new()
    {
        { "KRB_AP_ERR_TKT_EXPIRED token", true },
        { "bind_nak", true },
        { "fault after auth3", true },
        { "KRB_AP_ERR_SKEW token", false },
        { "KRB_AP_ERR_BAD_INTEGRITY token", false },
        { "rejected presentation context", false },
        { "connection reset during a call", false },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Kerberos_renews_only_for_an_expired_ticket_or_an_unexplained_bind_refusal(string refusal, bool renews)
    {
        using KerberosCredential credential = KerberosCredential.FromPassword("svc-phs", "CORP.EXAMPLE", "Pa55-word!", "127.0.0.1:88");
        Assert.Equal(renews, await credential.RenewAfterRefusedBindAsync(Refusal(refusal), default));
        Assert.Equal(renews ? 1 : 0, credential.RenewalsAfterRefusedBind);
    }

    [Fact]
    public async Task NTLM_never_renews_and_negotiate_renews_only_after_it_chose_Kerberos()
    {
        using var ntlm = new NtlmCredential("svc-phs", "CORP", "Pa55-word!");
        using var negotiate = new NegotiateCredential(KerberosCredential.FromPassword("svc-phs", "CORP.EXAMPLE", "Pa55-word!", "127.0.0.1:88"), new NtlmCredential("svc-phs", "CORP", "Pa55-word!"));
        foreach (string refusal in s_kinds)
        {
            Assert.False(await ntlm.RenewAfterRefusedBindAsync(Refusal(refusal), default), refusal);

            // No connection yet: LastMechanism is null, nothing was signed in with Kerberos, so nothing renews.
            Assert.False(await negotiate.RenewAfterRefusedBindAsync(Refusal(refusal), default), refusal);
        }

        Assert.Equal(0, negotiate.Kerberos.RenewalsAfterRefusedBind);
    }

    private static ReplicationException Refusal(string kind) => kind switch
    {
        "KRB_AP_ERR_TKT_EXPIRED token" => new KerberosException("expired", KerberosErrorCode.ApErrTicketExpired),
        "KRB_AP_ERR_SKEW token" => new KerberosException("skew", KerberosErrorCode.ApErrSkew),
        "KRB_AP_ERR_BAD_INTEGRITY token" => new KerberosException("integrity", KerberosErrorCode.ApErrBadIntegrity),
        "bind_nak" => new RpcProtocolException("bind_nak: reason not specified") { IsBindRefusal = true },
        "fault after auth3" => new RpcAuthenticationException("fault 0x1C01000B right after authentication") { IsBindRefusal = true },
        "rejected presentation context" => new RpcProtocolException("abstract syntax not supported"),
        _ => new ReplicationConnectivityException("reset", new IOException("reset")),
    };
}
