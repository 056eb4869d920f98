using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PasswordHashSync.TestSupport;

/// <summary>
/// Hands each test server (Samba DC, MIT KDC, fault proxy) its own loopback address, 127.x.y.z chosen at random per
/// run, so two test runs on one host never answer each other's clients. Linux routes all of 127.0.0.0/8 to the
/// loopback interface, so any such address can be bound without configuration.
/// </summary>
/// <remarks>
/// Samba needs the address written as <c>interfaces = 127.x.y.z/8</c> (with the prefix length); a bare address is
/// not matched to an interface and the DC starts with "no network interfaces found". <see cref="SambaInterfaces"/>
/// gives that form.
/// </remarks>
public static class LoopbackAddress
{
    private static readonly HashSet<IPAddress> s_handedOut = [];

    /// <summary>
    /// Picks an address in 127.1.0.1 – 127.254.255.254 that this process has not handed out and on which none of
    /// <paramref name="ports"/> is in use (bind-probed), so a stale server from an earlier run is not reused.
    /// </summary>
    /// <param name="ports">The TCP ports the server will listen on.</param>
    /// <returns>The address.</returns>
    public static IPAddress Allocate(params int[] ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        for (int attempt = 0; attempt < 64; attempt++)
        {
            var address = new IPAddress(new byte[]
            {
                127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255),
            });
            lock (s_handedOut)
            {
                if (s_handedOut.Contains(address) || !ports.All(port => IsFree(address, port)))
                {
                    continue;
                }

                s_handedOut.Add(address);
                return address;
            }
        }

        throw new InvalidOperationException("No free loopback address was found in 64 tries.");
    }

    /// <summary>The smb.conf <c>interfaces</c> value that binds Samba to <paramref name="address"/> only.</summary>
    /// <param name="address">An address from <see cref="Allocate"/>.</param>
    /// <returns>For example <c>127.23.4.5/8</c>.</returns>
    public static string SambaInterfaces(IPAddress address) => string.Create(CultureInfo.InvariantCulture, $"{address}/8");

    /// <summary>Whether a TCP listener can bind <paramref name="address"/>:<paramref name="port"/> now.</summary>
    /// <param name="address">The address.</param>
    /// <param name="port">The port.</param>
    /// <returns><see langword="true"/> when nothing listens there.</returns>
    public static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
