using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync;

/// <summary>
/// Turns a password (or NT hash) into the credential material a directory and the cloud store, with the
/// settings of <see cref="PasswordHashSyncOptions"/>. Registered as a singleton by <c>AddPasswordHashSync</c>.
/// </summary>
public interface ICredentialDeriver
{
    /// <summary>Computes the NT hash.</summary>
    /// <param name="password">The password.</param>
    /// <param name="destination">Receives 16 bytes.</param>
    /// <returns>The number of bytes written (16).</returns>
    int ComputeNtHash(ReadOnlySpan<char> password, Span<byte> destination);

    /// <summary>Computes the salted digest of a password with a fresh salt and the configured iteration count.</summary>
    /// <param name="password">The password.</param>
    /// <returns>The digest.</returns>
    SaltedDigest ComputeSaltedDigest(ReadOnlySpan<char> password);

    /// <summary>Computes the salted digest of an NT hash with a fresh salt and the configured iteration count.</summary>
    /// <param name="ntHash">The 16-byte NT hash.</param>
    /// <returns>The digest.</returns>
    SaltedDigest ComputeSaltedDigestFromNtHash(ReadOnlySpan<byte> ntHash);

    /// <summary>Derives the configured Kerberos key set.</summary>
    /// <param name="password">The password.</param>
    /// <param name="salt">The salt bytes (see <see cref="KerberosSalt"/>).</param>
    /// <returns>One key per configured type, in the configured order.</returns>
    IReadOnlyList<KerberosKey> DeriveKerberosKeys(ReadOnlySpan<char> password, ReadOnlySpan<byte> salt);

    /// <summary>Tries to compute the LM hash with the configured code page.</summary>
    /// <param name="password">The password.</param>
    /// <param name="destination">Receives 16 bytes.</param>
    /// <param name="bytesWritten">16 on success, otherwise 0.</param>
    /// <returns><see langword="false"/> when the password has no LM hash.</returns>
    /// <exception cref="InvalidOperationException">LM hashes are not enabled in the options.</exception>
    bool TryComputeLmHash(ReadOnlySpan<char> password, Span<byte> destination, out int bytesWritten);
}
