using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync;

/// <summary>The default <see cref="ICredentialDeriver"/>: the static one-shots with the configured settings.</summary>
public sealed class CredentialDeriver : ICredentialDeriver
{
    private readonly PasswordHashSyncOptions _options;
    private readonly KerberosEncryptionType[] _encryptionTypes;

    /// <summary>Creates a deriver; the options are validated and their Kerberos type list is copied.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public CredentialDeriver(PasswordHashSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _encryptionTypes = [.. options.KerberosEncryptionTypes];
    }

    /// <inheritdoc />
    public int ComputeNtHash(ReadOnlySpan<char> password, Span<byte> destination) => NtHash.Compute(password, destination);

    /// <inheritdoc />
    public SaltedDigest ComputeSaltedDigest(ReadOnlySpan<char> password) => SaltedDigest.FromPassword(password, _options.DigestIterationCount);

    /// <inheritdoc />
    public SaltedDigest ComputeSaltedDigestFromNtHash(ReadOnlySpan<byte> ntHash) => SaltedDigest.FromNtHash(ntHash, _options.DigestIterationCount);

    /// <inheritdoc />
    public IReadOnlyList<KerberosKey> DeriveKerberosKeys(ReadOnlySpan<char> password, ReadOnlySpan<byte> salt) =>
        KerberosKeyDerivation.DeriveKeys(password, salt, _encryptionTypes, _options.KerberosIterationCount);

    /// <inheritdoc />
    public bool TryComputeLmHash(ReadOnlySpan<char> password, Span<byte> destination, out int bytesWritten)
    {
        if (!_options.EnableLmHash)
        {
            throw new InvalidOperationException("LM hashes are disabled; set PasswordHashSyncOptions.EnableLmHash to compute them.");
        }

        return LmHash.TryCompute(password, _options.LmOemCodePage, destination, out bytesWritten);
    }
}
