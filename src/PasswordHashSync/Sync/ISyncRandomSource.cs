namespace PasswordHashSync.Sync;

/// <summary>
/// The randomness the engine needs: digest salts and the random NT hash sent when NTLM sync is disabled. Injectable
/// so tests can be deterministic; <see cref="SystemSyncRandomSource"/> is the default.
/// </summary>
public interface ISyncRandomSource
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    /// <param name="destination">The bytes to fill.</param>
    void Fill(Span<byte> destination);
}
