using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication;

/// <summary>
/// Who the replication client signs in as: an account holding the "Replicating Directory Changes" and
/// "Replicating Directory Changes All" rights on the domain. <c>NtlmCredential</c> signs in with NTLMv2,
/// <c>KerberosCredential</c> with Kerberos; each creates a fresh security context per connection.
/// </summary>
/// <remarks>
/// A credential holds a password-equivalent secret (an NT hash or Kerberos keys); dispose it to zero that secret.
/// <see cref="ToString"/> names the account only.
/// </remarks>
public abstract class ReplicationCredential : IDisposable
{
    /// <summary>Creates the credential's identity part.</summary>
    /// <param name="userName">The account's sAMAccountName (or the user part of a principal).</param>
    /// <param name="domain">The domain: NetBIOS or DNS name for NTLM, the realm for Kerberos.</param>
    /// <exception cref="ArgumentException">A name is null, empty or white space.</exception>
    private protected ReplicationCredential(string userName, string domain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        UserName = userName;
        Domain = domain;
    }

    /// <summary>The account name.</summary>
    public string UserName { get; }

    /// <summary>The domain or realm.</summary>
    public string Domain { get; }

    /// <summary>Whether <see cref="Dispose()"/> was called.</summary>
    protected bool IsDisposed { get; private set; }

    /// <summary>Creates the security context for one connection to <paramref name="target"/>.</summary>
    /// <param name="target">The server being authenticated to.</param>
    /// <param name="cancellationToken">Cancels any exchange with a KDC.</param>
    /// <returns>A new, not yet complete context; the connection disposes it.</returns>
    internal abstract ValueTask<IRpcSecurityContext> CreateSecurityContextAsync(RpcSecurityTarget target, CancellationToken cancellationToken);

    /// <summary>
    /// The DC refused the bind of a context this credential created; whether one more context (with fresh tickets,
    /// which the credential prepares here) may succeed. Only Kerberos renews; NTLM has nothing to refresh.
    /// </summary>
    /// <param name="refusal">What the bind failed with.</param>
    /// <param name="cancellationToken">Cancels the renewal.</param>
    /// <returns>Whether the caller should connect once more.</returns>
    internal virtual ValueTask<bool> RenewAfterRefusedBindAsync(ReplicationException refusal, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <inheritdoc />
    public override string ToString() => Domain + "\\" + UserName;

    /// <summary>Zeroes the secret.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Zeroes the secret held by the derived credential.</summary>
    /// <param name="disposing"><see langword="true"/> from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing) => IsDisposed = true;
}
