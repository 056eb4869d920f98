using System.Globalization;

namespace PasswordHashSync.Replication.Kerberos.Kdc;

/// <summary>A KDC address: a host name or IP address and a TCP port (88 unless given).</summary>
/// <param name="Host">The host name or address.</param>
/// <param name="Port">The TCP port.</param>
internal readonly record struct KdcEndpoint(string Host, int Port)
{
    /// <summary>The Kerberos port (RFC 4120 7.2.3).</summary>
    public const int DefaultPort = 88;

    /// <summary>Parses <c>host</c>, <c>host:port</c>, <c>[v6-address]</c> or <c>[v6-address]:port</c>.</summary>
    /// <exception cref="ArgumentException">The text is not of that form.</exception>
    public static KdcEndpoint Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        string host = text.Trim();
        int port = DefaultPort;
        if (host.StartsWith('['))
        {
            int close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"The KDC address '{text}' has an unterminated '['.", nameof(text));
            }

            string rest = host[(close + 1)..];
            host = host[1..close];
            if (rest.Length > 0)
            {
                port = ParsePort(rest.StartsWith(':') ? rest[1..] : throw new ArgumentException($"The KDC address '{text}' is malformed.", nameof(text)), text);
            }
        }
        else if (host.Count(c => c == ':') == 1)
        {
            int colon = host.IndexOf(':', StringComparison.Ordinal);
            port = ParsePort(host[(colon + 1)..], text);
            host = host[..colon];
        }

        if (host.Length == 0)
        {
            throw new ArgumentException($"The KDC address '{text}' has no host.", nameof(text));
        }

        return new KdcEndpoint(host, port);
    }

    private static int ParsePort(string port, string text) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is > 0 and <= 65535
            ? value
            : throw new ArgumentException($"The KDC address '{text}' has an invalid port.", nameof(text));

    /// <inheritdoc />
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
