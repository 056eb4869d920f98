using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>Gives the sync engine the current Kerberos keys of a supplementalCredentials blob, using the library's reader.</summary>
internal sealed class SupplementalCredentialsKeyExtractor : IKerberosKeyExtractor
{
    /// <inheritdoc />
    public IReadOnlyList<KerberosKey> ExtractCurrentKeys(ReadOnlyMemory<byte> supplementalCredentials)
    {
        if (supplementalCredentials.IsEmpty)
        {
            return [];
        }
        // A malformed blob throws SupplementalCredentialsFormatException, a FormatException, as the interface expects.
        return SupplementalCredentialsBlob.Parse(supplementalCredentials.Span).GetCurrentKerberosKeys();
    }
}
