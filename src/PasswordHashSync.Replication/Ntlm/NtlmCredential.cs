using System.Runtime.InteropServices;
using System.Security.Cryptography;
using PasswordHashSync.Cryptography;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication.Ntlm;

/// <summary>
/// Signs in to the domain controller with NTLMv2 (MS-NLMP) at packet privacy. Only the account's NT hash is kept,
/// never the password; it is zeroed by <see cref="ReplicationCredential.Dispose()"/>.
/// </summary>
public sealed class NtlmCredential : ReplicationCredential
{
    private readonly byte[] _ntHash = new byte[16];

    /// <summary>Creates the credential from a password, which is hashed at once (MD4 of its UTF-16LE form) and not kept.</summary>
    /// <param name="userName">The account's sAMAccountName.</param>
    /// <param name="domain">The NetBIOS domain name (or the DNS name, as the DC accepts either).</param>
    /// <param name="password">The password (read from standard input or a file by the caller, never a command line).</param>
    /// <exception cref="ArgumentException">A name is null, empty or white space.</exception>
    public NtlmCredential(string userName, string domain, ReadOnlySpan<char> password)
        : base(userName, domain)
    {
        ReadOnlySpan<byte> utf16 = MemoryMarshal.AsBytes(password);
        Md4.HashData(utf16, _ntHash);
    }

    /// <summary>Creates the credential from the account's NT hash (MD4 of the UTF-16LE password).</summary>
    /// <param name="userName">The account's sAMAccountName.</param>
    /// <param name="domain">The NetBIOS or DNS domain name.</param>
    /// <param name="ntHash">The 16-byte NT hash (copied).</param>
    /// <exception cref="ArgumentException">A name is empty, or the hash is not 16 bytes.</exception>
    public NtlmCredential(string userName, string domain, ReadOnlySpan<byte> ntHash)
        : base(userName, domain)
    {
        if (ntHash.Length != 16)
        {
            throw new ArgumentException("An NT hash is 16 bytes.", nameof(ntHash));
        }

        ntHash.CopyTo(_ntHash);
    }

    /// <inheritdoc />
    internal override ValueTask<IRpcSecurityContext> CreateSecurityContextAsync(RpcSecurityTarget target, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return ValueTask.FromResult<IRpcSecurityContext>(new NtlmSecurityContext(UserName, Domain, _ntHash));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        CryptographicOperations.ZeroMemory(_ntHash);
        base.Dispose(disposing);
    }
}
