using System.Globalization;

namespace PasswordHashSync.Replication;

/// <summary>Where and how <see cref="DrsReplicationClient"/> replicates from: the domain controller, the domain, timeouts and chunk size.</summary>
public sealed class DrsReplicationOptions
{
    /// <summary>The largest chunk a caller may ask for (Samba caps a chunk at 1000 objects; Windows at its own limits).</summary>
    public const int MaxObjectsPerChunkLimit = 10_000;

    /// <summary>The domain controller: a DNS name or an IP address.</summary>
    public required string DomainController { get; init; }

    /// <summary>
    /// The DRSUAPI TCP port, or <see langword="null"/> (the default) to ask the DC's endpoint mapper on port 135 for it.
    /// </summary>
    public int? Port { get; init; }

    /// <summary>The domain's DNS name, for example <c>contoso.com</c>; the domain naming context is taken from it.</summary>
    public required string DnsDomain { get; init; }

    /// <summary>How long to wait for a TCP connection (default 15 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for one RPC reply (default 2 minutes; a DC may work 10 s or more on one chunk).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many objects to ask for per chunk (default 1000, the most Samba sends).</summary>
    public int MaxObjectsPerChunk { get; init; } = 1000;

    /// <summary>How many bytes to ask for per chunk (default 8 MiB; Samba ignores it, Windows honours it approximately).</summary>
    public int MaxBytesPerChunk { get; init; } = 8 * 1024 * 1024;

    /// <summary>The domain naming context built from <see cref="DnsDomain"/>: <c>contoso.com</c> gives <c>DC=contoso,DC=com</c>.</summary>
    public string DomainNamingContext => string.Join(',', DnsDomain.TrimEnd('.').Split('.').Select(label => "DC=" + label));

    /// <summary>Checks every value and throws for the first bad one.</summary>
    /// <exception cref="ArgumentException">A value is missing or out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(DomainController);
        ArgumentException.ThrowIfNullOrWhiteSpace(DnsDomain);
        if (DnsDomain.TrimEnd('.').Split('.').Any(label => label.Length == 0 || label.Contains(',', StringComparison.Ordinal) || label.Contains('=', StringComparison.Ordinal)))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"'{DnsDomain}' is not a DNS domain name."), nameof(DnsDomain));
        }

        if (Port is int port)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(port, 1, nameof(Port));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535, nameof(Port));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CallTimeout, TimeSpan.Zero, nameof(CallTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxObjectsPerChunk, 1, nameof(MaxObjectsPerChunk));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxObjectsPerChunk, MaxObjectsPerChunkLimit, nameof(MaxObjectsPerChunk));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytesPerChunk, 64 * 1024, nameof(MaxBytesPerChunk));
    }
}
