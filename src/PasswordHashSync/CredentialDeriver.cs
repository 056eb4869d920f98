using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync;

/// <summary>The default <see cref="ICredentialDeriver"/>: the static one-shots with the configured settings.</summary>
public sealed class CredentialDeriver : ICredentialDeriver
{
    // The settings are copied, then validated, at construction so that a later change to a (non-frozen)
    // options object cannot bypass the validation done here.
    private readonly int _digestIterationCount;
    private readonly int? _kerberosIterationCount;
    private readonly bool _enableLmHash;
    private readonly int _lmOemCodePage;
    private readonly KerberosEncryptionType[] _encryptionTypes;

    /// <summary>Creates a deriver; the options are validated and copied (later changes to them have no effect).</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="PasswordHashSyncOptions.Validate"/>).</exception>
    public CredentialDeriver(PasswordHashSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PasswordHashSyncOptions validated = options.ToValidatedFrozenCopy();
        _digestIterationCount = validated.DigestIterationCount;
        _kerberosIterationCount = validated.KerberosIterationCount;
        _enableLmHash = validated.EnableLmHash;
        _lmOemCodePage = validated.LmOemCodePage;
        _encryptionTypes = [.. validated.KerberosEncryptionTypes];
    }

    /// <inheritdoc />
    public int ComputeNtHash(ReadOnlySpan<char> password, Span<byte> destination) => NtHash.Compute(password, destination);

    /// <inheritdoc />
    public SaltedDigest ComputeSaltedDigest(ReadOnlySpan<char> password) => SaltedDigest.FromPassword(password, _digestIterationCount);

    /// <inheritdoc />
    public SaltedDigest ComputeSaltedDigestFromNtHash(ReadOnlySpan<byte> ntHash) => SaltedDigest.FromNtHash(ntHash, _digestIterationCount);

    /// <inheritdoc />
    public IReadOnlyList<KerberosKey> DeriveKerberosKeys(ReadOnlySpan<char> password, ReadOnlySpan<byte> salt) =>
        KerberosKeyDerivation.DeriveKeys(password, salt, _encryptionTypes, _kerberosIterationCount);

    /// <inheritdoc />
    public bool TryComputeLmHash(ReadOnlySpan<char> password, Span<byte> destination, out int bytesWritten)
    {
        if (!_enableLmHash)
        {
            throw new InvalidOperationException("LM hashes are disabled; set PasswordHashSyncOptions.EnableLmHash to compute them.");
        }

        return LmHash.TryCompute(password, _lmOemCodePage, destination, out bytesWritten);
    }
}
