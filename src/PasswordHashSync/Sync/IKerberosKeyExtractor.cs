using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Sync;

/// <summary>
/// Extracts the current Kerberos keys from a <c>supplementalCredentials</c> blob. The engine uses this seam so the
/// parser can be supplied separately (the library's supplementalCredentials reader, or a test fake).
/// </summary>
public interface IKerberosKeyExtractor
{
    /// <summary>Extracts the current keys (not the previous or older ones).</summary>
    /// <param name="supplementalCredentials">The raw USER_PROPERTIES blob; may be empty.</param>
    /// <returns>The keys, or an empty list when the blob holds none; the caller owns and disposes them.</returns>
    /// <exception cref="FormatException">The blob is malformed.</exception>
    IReadOnlyList<KerberosKey> ExtractCurrentKeys(ReadOnlyMemory<byte> supplementalCredentials);
}
