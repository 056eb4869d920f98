namespace PasswordHashSync.Replication.Rpc;

/// <summary>Limits and timeouts of one DCE/RPC connection to a domain controller.</summary>
public sealed class RpcConnectionOptions
{
    private TimeSpan _connectTimeout = TimeSpan.FromSeconds(30);
    private TimeSpan _callTimeout = TimeSpan.FromMinutes(2);
    private int _maxResponseSize = 64 * 1024 * 1024;
    private int _maxFragmentSize = 5840;

    /// <summary>The defaults.</summary>
    public static RpcConnectionOptions Default { get; } = new();

    /// <summary>How long the TCP connect plus the bind and authentication legs may take (default 30 s).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan ConnectTimeout
    {
        get => _connectTimeout;
        init => _connectTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "The timeout must be positive.");
    }

    /// <summary>How long one call (request sent, whole response received) may take (default 2 minutes).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan CallTimeout
    {
        get => _callTimeout;
        init => _callTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "The timeout must be positive.");
    }

    /// <summary>
    /// The largest reassembled response stub accepted (default 64 MiB). A response that would exceed it fails with
    /// <see cref="RpcProtocolException"/> before the memory is allocated; memory grows only with bytes received,
    /// never with the server's alloc_hint.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 64 KiB.</exception>
    public int MaxResponseSize
    {
        get => _maxResponseSize;
        init => _maxResponseSize = value >= 64 * 1024 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The limit must be at least 64 KiB.");
    }

    /// <summary>
    /// The max_xmit_frag and max_recv_frag offered in the bind (default 5840, Samba's <c>DCERPC_FRAG_MAX_SIZE</c>);
    /// requests are fragmented to the smaller of this and the server's max_recv_frag.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1432 (C706 must_recv_frag_size) to 65535.</exception>
    public int MaxFragmentSize
    {
        get => _maxFragmentSize;
        init => _maxFragmentSize = value is >= 1432 and <= ushort.MaxValue ? value : throw new ArgumentOutOfRangeException(nameof(value), "The fragment size must be 1432 to 65535.");
    }
}
