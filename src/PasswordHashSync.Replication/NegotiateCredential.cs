using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication;

/// <summary>
/// Kerberos first, NTLM only when Kerberos is not possible: per connection, the Kerberos credential gets a service
/// ticket; if that fails because Kerberos is unavailable (<see cref="KerberosException.IsKerberosUnavailable"/>: no KDC
/// reachable or a KDC timeout, the KDC does not know the account, the DC's service principal or the realm, or the DC was
/// given as an address whose rootDSE names no host), the connection signs in with NTLM instead.
/// </summary>
/// <remarks>
/// <para>No fallback when Kerberos refused: a wrong password or keytab key (KDC_ERR_PREAUTH_FAILED), a disabled,
/// locked or expired account, clock skew (KRB_AP_ERR_SKEW), a KDC or account with only weak encryption types (RC4
/// not allowed), an RC4 session key for the DC (RFC 4757 wrap tokens are not implemented), or a malformed
/// reply. Trying NTLM then would spend a second bad-password count, hide a broken clock, or downgrade on a policy
/// decision. The choice is made before the DCE/RPC bind: once a ticket is in hand, a DC that refuses the Kerberos bind
/// is an authentication error, not a reason for NTLM.</para>
/// <para>Unlike SPNEGO (RFC 4178) this negotiates on the client side only: the bind carries raw Kerberos (auth_type 16)
/// or NTLMSSP (auth_type 10), both of which every AD DC accepts on DRSUAPI.</para>
/// </remarks>
public sealed class NegotiateCredential : ReplicationCredential
{
    private readonly KerberosCredential _kerberos;
    private readonly NtlmCredential? _ntlm;

    /// <summary>Combines the two credentials of one account; ownership of both passes to this one (it disposes them).</summary>
    /// <param name="kerberos">The Kerberos credential, tried first.</param>
    /// <param name="ntlm">The NTLM credential for the fallback, or <see langword="null"/> for none (a keytab holds no NTLM secret).</param>
    /// <exception cref="ArgumentNullException"><paramref name="kerberos"/> is null.</exception>
    public NegotiateCredential(KerberosCredential kerberos, NtlmCredential? ntlm)
        : base(kerberos?.UserName ?? throw new ArgumentNullException(nameof(kerberos)), ntlm?.Domain ?? kerberos.Domain)
    {
        _kerberos = kerberos;
        _ntlm = ntlm;
    }

    /// <summary>The Kerberos credential.</summary>
    public KerberosCredential Kerberos => _kerberos;

    /// <summary>"Kerberos" or "NTLM": what the last connection signed in with, or <see langword="null"/> before the first.</summary>
    public string? LastMechanism { get; private set; }

    /// <summary>Why the last connection fell back to NTLM (names and error codes only, no secret), or <see langword="null"/>.</summary>
    public string? LastFallbackReason { get; private set; }

    internal override async ValueTask<IRpcSecurityContext> CreateSecurityContextAsync(RpcSecurityTarget target, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        string reason;
        try
        {
            IRpcSecurityContext context = await _kerberos.CreateSecurityContextAsync(target, cancellationToken).ConfigureAwait(false);
            LastMechanism = "Kerberos";
            LastFallbackReason = null;
            return context;
        }
        catch (KerberosException e) when (e.IsKerberosUnavailable && _ntlm is not null)
        {
            reason = e.Message;
        }
        catch (TimeoutException e) when (_ntlm is not null)
        {
            reason = e.Message;
        }

        IRpcSecurityContext ntlm = await _ntlm.CreateSecurityContextAsync(target, cancellationToken).ConfigureAwait(false);
        LastMechanism = "NTLM";
        LastFallbackReason = reason;
        return ntlm;
    }

    /// <summary>A refused Kerberos bind renews as <see cref="KerberosCredential"/> does; an NTLM one is not retried.</summary>
    internal override ValueTask<bool> RenewAfterRefusedBindAsync(ReplicationException refusal, CancellationToken cancellationToken) =>
        LastMechanism == "Kerberos" ? _kerberos.RenewAfterRefusedBindAsync(refusal, cancellationToken) : ValueTask.FromResult(false);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !IsDisposed)
        {
            _kerberos.Dispose();
            _ntlm?.Dispose();
        }

        base.Dispose(disposing);
    }
}
