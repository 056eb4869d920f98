using System.Net;
using System.Net.Sockets;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Kdc;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication;

/// <summary>
/// The sign-in failure texts the CLI and the agent print (<c>ReplicationErrors.SignIn</c>): who refused (the DC, the
/// KDC, an unreachable KDC, a weak-only account) and why, worded from the exception's markers and error code, never
/// from its text, and never with a secret.
/// </summary>
public class SignInFailureWordingTests
{
    private const string Password = "Not-A-Real-Pa55-9f3c";
    private const string Dc = "dc1.contoso.test";
    private const string Kdc = "dc1.contoso.test:88";

    private static KerberosCredential Kerberos() => KerberosCredential.FromPassword("agent", "contoso.test", Password, Kdc);

    private static string Word(RpcAuthenticationException error, ReplicationCredential credential)
    {
        ReplicationException worded = ReplicationErrors.SignIn(error, Dc, credential);

        // An unreachable KDC is a connectivity failure (retried next cycle without the refused-password back-off).
        Assert.IsType(error is KerberosException { Failure: KerberosFailure.KdcUnreachable } ? typeof(ReplicationConnectivityException) : typeof(RpcAuthenticationException), worded);
        Assert.Same(error, worded.InnerException ?? error);
        Assert.DoesNotContain(Password, worded.ToString(), StringComparison.Ordinal);
        return worded.Message;
    }

    [Theory]
    [InlineData(24, "Cannot sign in with Kerberos as agent@CONTOSO.TEST: the KDC dc1.contoso.test:88 refused it with KDC_ERR_PREAUTH_FAILED (24): wrong password (or wrong keytab key).")]
    [InlineData(6, "Cannot sign in with Kerberos as agent@CONTOSO.TEST: the KDC dc1.contoso.test:88 refused it with KDC_ERR_C_PRINCIPAL_UNKNOWN (6): unknown account (check the user name and the realm).")]
    [InlineData(37, "Cannot sign in with Kerberos as agent@CONTOSO.TEST: the KDC dc1.contoso.test:88 refused it with KRB_AP_ERR_SKEW (37): the clocks differ by more than the allowed skew, usually 5 minutes (synchronize the time).")]
    [InlineData(18, "Cannot sign in with Kerberos as agent@CONTOSO.TEST: the KDC dc1.contoso.test:88 refused it with KDC_ERR_CLIENT_REVOKED (18): the account is disabled, locked out or expired.")]
    [InlineData(23, "Cannot sign in with Kerberos as agent@CONTOSO.TEST: the KDC dc1.contoso.test:88 refused it with KDC_ERR_KEY_EXPIRED (23): the password has expired (change it).")]
    public void A_KDC_refusal_names_the_KDC_the_error_and_the_reason(int code, string expected)
    {
        using KerberosCredential credential = Kerberos();
        KerberosException error = KerberosErrorCode.ToException(code, "agent@CONTOSO.TEST", Kdc);
        Assert.Equal(expected, Word(error, credential));
    }

    [Fact]
    public void A_weak_only_account_says_RC4_names_both_remedies_and_is_no_reason_to_fall_back()
    {
        using KerberosCredential credential = Kerberos();
        KerberosException error = KdcClient.Rc4Only(Kdc, "agent@CONTOSO.TEST");
        Assert.Equal(14, error.ErrorCode);
        Assert.False(error.IsKerberosUnavailable);
        Assert.Equal(
            "Cannot sign in with Kerberos as agent@CONTOSO.TEST: the KDC dc1.contoso.test:88 offers only weak encryption for agent@CONTOSO.TEST: RC4-HMAC (etype 23), no AES key (KDC_ERR_ETYPE_NOSUPP for AES). " +
            "RC4 is not allowed, so the sign-in was refused. Remedy: give the account AES keys by resetting its password on a domain controller at Windows Server 2008 domain functional level or later, " +
            "or allow RC4 explicitly (AllowRc4 on the Kerberos credential; pwsync --allow-rc4).",
            Word(error, credential));
    }

    [Fact]
    public void An_unreachable_KDC_names_host_port_and_what_happened()
    {
        using KerberosCredential credential = Kerberos();
        KerberosException error = KdcTransport.Unreachable(Kdc, "no answer within 30 s", new TimeoutException());
        Assert.True(error.IsKerberosUnavailable);
        Assert.Equal(
            "Cannot sign in with Kerberos as agent@CONTOSO.TEST: the KDC dc1.contoso.test:88 could not be reached (no answer within 30 s). Check the KDC's host and port (pwsync --kdc) and that this host reaches it on TCP.",
            Word(error, credential));
    }

    [Fact]
    public async Task A_closed_KDC_port_is_worded_as_connection_refused_with_its_address()
    {
        // A port that was just free: nothing listens there, so the connection is refused at once.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string kdc = "127.0.0.1:" + port;
        KerberosException error = await Assert.ThrowsAsync<KerberosException>(() => KdcTransport.ExchangeAsync(KdcEndpoint.Parse(kdc), [1, 2, 3], TimeSpan.FromSeconds(10), default));
        using KerberosCredential credential = Kerberos();
        Assert.Equal(
            $"Cannot sign in with Kerberos as agent@CONTOSO.TEST: the KDC {kdc} could not be reached (connection refused: nothing listens on that port). Check the KDC's host and port (pwsync --kdc) and that this host reaches it on TCP.",
            Word(error, credential));
    }

    [Fact]
    public void A_KRB_ERROR_from_the_DC_says_the_domain_controller_refused_the_Kerberos_sign_in()
    {
        using KerberosCredential credential = Kerberos();
        KerberosException error = KerberosErrorCode.FromServer(41, "ldap/dc1.contoso.test@CONTOSO.TEST");
        Assert.Equal(
            "The domain controller dc1.contoso.test refused the Kerberos sign-in of agent@CONTOSO.TEST with KRB_AP_ERR_MODIFIED (41): the request did not decrypt (the ticket or key is wrong).",
            Word(error, credential));
    }

    [Fact]
    public void An_NTLM_refusal_says_the_domain_controller_refused_the_NTLM_credentials()
    {
        using var credential = new NtlmCredential("agent", "CONTOSO", Password);
        var error = new RpcAuthenticationException("The server closed the connection on the first call after NTLM/Kerberos authentication: it most likely refused the credentials.");
        Assert.Equal(
            "The domain controller dc1.contoso.test refused the credentials of CONTOSO\\agent (NTLM): The server closed the connection on the first call after NTLM/Kerberos authentication: it most likely refused the credentials.",
            Word(error, credential));
    }

    [Fact]
    public void An_access_denied_fault_already_worded_with_the_DC_and_account_is_not_worded_twice()
    {
        using var credential = new NtlmCredential("agent", "CONTOSO", Password);
        var translated = Assert.IsType<RpcAuthenticationException>(ReplicationErrors.Translate(new RpcFaultException(5, "access denied"), "dc1.contoso.test:49152", credential));
        Assert.Same(translated, ReplicationErrors.SignIn(translated, Dc, credential));
        Assert.StartsWith("The domain controller dc1.contoso.test:49152 refused the credentials of CONTOSO\\agent", translated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_other_Kerberos_failure_is_cannot_sign_in_with_Kerberos_and_its_cause()
    {
        using var negotiate = new NegotiateCredential(Kerberos(), new NtlmCredential("agent", "CONTOSO", Password));
        var error = new KerberosException("The KDC dc1.contoso.test:88 answered for agent@CONTOSO.TEST with another nonce than the request's (a replayed or misdirected reply).");
        Assert.Equal(
            "Cannot sign in with Kerberos as agent@CONTOSO.TEST: the KDC dc1.contoso.test:88 answered for agent@CONTOSO.TEST with another nonce than the request's (a replayed or misdirected reply).",
            Word(error, negotiate));
    }

    [Fact]
    public void Every_name_and_reason_of_the_codes_the_client_tells_apart_is_specific()
    {
        int[] codes = [6, 7, 12, 13, 14, 18, 23, 24, 25, 31, 32, 37, 41, 52, 60, 68];
        Assert.All(codes, c => Assert.Matches("^(KDC_ERR|KRB_AP_ERR|KRB_ERR)_[A-Z_]+$", KerberosErrorCode.Name(c)));
        Assert.Equal(codes.Length, codes.Select(KerberosErrorCode.Name).Distinct().Count());
        Assert.Equal("Kerberos error 99", KerberosErrorCode.Name(99));
    }
}
