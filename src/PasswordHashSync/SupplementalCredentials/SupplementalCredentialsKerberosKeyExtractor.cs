using PasswordHashSync.Kerberos;
using PasswordHashSync.Sync;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// The sync engine's <see cref="IKerberosKeyExtractor"/> over real <c>supplementalCredentials</c> blobs: the current
/// keys of <c>Primary:Kerberos-Newer-Keys</c> (AES and DES) plus those of <c>Primary:Kerberos</c> of other types
/// (see <see cref="SupplementalCredentialsBlob.GetCurrentKerberosKeys"/>). The default of the planner, the
/// diagnostics and <c>AddPasswordHashSync</c>.
/// </summary>
public sealed class SupplementalCredentialsKerberosKeyExtractor : IKerberosKeyExtractor
{
    /// <summary>The shared instance (the extractor has no state).</summary>
    public static SupplementalCredentialsKerberosKeyExtractor Instance { get; } = new();

    private SupplementalCredentialsKerberosKeyExtractor()
    {
    }

    /// <inheritdoc />
    /// <exception cref="SupplementalCredentialsFormatException">The blob is malformed.</exception>
    public IReadOnlyList<KerberosKey> ExtractCurrentKeys(ReadOnlyMemory<byte> supplementalCredentials)
    {
        if (supplementalCredentials.IsEmpty)
        {
            return [];
        }

        // The keys handed out are the caller's copies; every scratch copy is zeroed there. Only the Kerberos
        // properties are decoded into objects (the blob's WDigest hashes are checked, not copied).
        return SupplementalCredentialsKeyReader.ExtractCurrentKeys(supplementalCredentials.Span);
    }
}
