using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Kdc;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;
using static PasswordHashSync.IntegrationTests.Replication.ReplicationTestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// An account whose only key is RC4-HMAC (<see cref="Rc4OnlyAccount"/>) on the shared Samba DC: without RC4 allowed the
/// KDC's answer is the weak-only refusal (code 14), which negotiate does not take as a reason for NTLM; with RC4
/// allowed the client pre-authenticates with the RC4 key, decrypts Samba's RC4 AS-REP, and replicates under AES
/// session keys (krbtgt and the DC have AES keys). Samba's KDC (Heimdal) is the independent check of the RC4 encryption
/// and key usages: it decrypts our PA-ENC-TIMESTAMP and we decrypt what it encrypted with the same key.
/// </summary>
[Collection(ReplicationDomainControllerGroup.Name)]
public sealed class Rc4OnlyAccountReplicationTests(ReplicationDomainController dc)
{
    private static readonly int[] s_aes =
    [
        (int)KerberosEncryptionType.Aes128CtsHmacSha196, (int)KerberosEncryptionType.Aes256CtsHmacSha196,
        (int)KerberosEncryptionType.Aes128CtsHmacSha256128, (int)KerberosEncryptionType.Aes256CtsHmacSha384192,
    ];

    private readonly (string Name, string Password) _account = Rc4OnlyAccount.Ensure(dc);

    private string Kdc => dc.Address + ":88";

    private KerberosCredential Kerberos(bool allowRc4) =>
        KerberosCredential.FromPassword(_account.Name, ReplicationDomainController.Realm, _account.Password, Kdc, allowRc4);

    [Fact]
    public async Task Without_allowRc4_the_KDC_answer_is_the_weak_only_refusal_and_negotiate_does_not_fall_back_to_NTLM()
    {
        using (KerberosCredential kerberos = Kerberos(allowRc4: false))
        {
            KerberosException e = await Assert.ThrowsAsync<KerberosException>(() => kerberos.GetTicketGrantingTicketAsync(default));
            Assert.Equal(14, e.ErrorCode);
            Assert.Equal(KerberosFailure.WeakEncryptionOnly, e.Failure);
            Assert.False(e.IsKerberosUnavailable);
            Assert.Contains("offers only weak encryption for " + _account.Name + "@" + ReplicationDomainController.Realm + ": RC4-HMAC (etype 23)", e.Message, StringComparison.Ordinal);
        }

        using var negotiate = new NegotiateCredential(Kerberos(allowRc4: false), Credential(_account));
        RpcAuthenticationException refused = await Assert.ThrowsAsync<RpcAuthenticationException>(async () => await DrsReplicationClient.ConnectAsync(Options(dc), negotiate));
        Assert.Null(negotiate.LastMechanism); // NTLM was never tried
        Assert.Equal(14, Assert.IsType<KerberosException>(refused.InnerException).ErrorCode);
        Assert.StartsWith($"Cannot sign in with Kerberos as {_account.Name}@{ReplicationDomainController.Realm}: the KDC {Kdc} offers only weak encryption", refused.Message, StringComparison.Ordinal);
        Assert.Contains("pwsync --allow-rc4", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_account.Password, refused.ToString(), StringComparison.Ordinal);

        // The account itself is fine: NTLM alone signs in, so the refusal above is the policy, not a broken account.
        using NtlmCredential ntlm = Credential(_account);
        await using DrsReplicationClient client = await DrsReplicationClient.ConnectAsync(Options(dc), ntlm);
        using ReplicatedAccount? self = await client.ReplicateAccountAsync(_account.Name);
        Assert.Equal(NtHash.Compute(_account.Password), self!.NtHash.ToArray());
        Assert.Empty(self.SupplementalCredentials.ToArray());
    }

    [Fact]
    public async Task With_allowRc4_the_client_pre_authenticates_with_the_RC4_key_and_replicates_under_AES_session_keys()
    {
        using KerberosCredential credential = Kerberos(allowRc4: true);

        // The reply key was RC4 (the account has no other), the TGT's session key is AES: krbtgt has AES keys.
        KerberosTicketGrant tgt = await credential.GetTicketGrantingTicketAsync(default);
        Assert.Contains(tgt.SessionKey.EncryptionType, s_aes);
        string host = await credential.ResolveHostNameAsync(dc.Address.ToString(), default);
        using (KerberosTicketGrant service = await credential.GetServiceTicketAsync(host, default))
        {
            Assert.Contains(service.SessionKey.EncryptionType, s_aes);
        }

        await using DrsReplicationClient client = await DrsReplicationClient.ConnectAsync(Options(dc), credential);
        using ReplicatedAccount? self = await client.ReplicateAccountAsync(_account.Name);
        Assert.Equal(NtHash.Compute(_account.Password), self!.NtHash.ToArray());
        ReplicationTestAccount known = dc.Accounts.First(a => a.Kind == ReplicationTestAccountKind.User && a.Passwords[^1].Length > 0);
        using ReplicatedAccount? other = await client.ReplicateAccountAsync(known.SamAccountName);
        Assert.Equal(NtHash.Compute(known.Passwords[^1]), other!.NtHash.ToArray());
        Assert.Equal(1, credential.AuthenticationCount);
    }
}
