using System.Security.Cryptography;

namespace PasswordHashSync.Sync;

/// <summary>Randomness from the operating system's cryptographic generator (<see cref="RandomNumberGenerator"/>).</summary>
public sealed class SystemSyncRandomSource : ISyncRandomSource
{
    /// <summary>The shared instance.</summary>
    public static SystemSyncRandomSource Instance { get; } = new();

    /// <inheritdoc />
    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
