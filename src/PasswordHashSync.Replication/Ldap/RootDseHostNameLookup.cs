using System.Globalization;
using System.Net.Sockets;

namespace PasswordHashSync.Replication.Ldap;

/// <summary>
/// Finds a domain controller's DNS host name from its address: an anonymous LDAP search of the rootDSE on TCP 389
/// for <c>dnsHostName</c> (MS-ADTS 3.1.1.3.2.6, readable without binding), so Kerberos can name the DC's service
/// principal when the caller gave only an IP address. No bind is sent; LDAP allows a search before any bind
/// (RFC 4511 4.2.1, anonymous).
/// </summary>
/// <remarks>
/// Bounded against a hostile or broken server: one connection with a deadline, at most <see cref="MaxMessageLength"/>
/// bytes per message and <see cref="MaxMessages"/> messages, only definite BER lengths, and a reply that must be a DNS
/// host name (letters, digits, hyphens; labels of 1 to 63, at most 253 characters, at least two labels).
/// </remarks>
internal static class RootDseHostNameLookup
{
    /// <summary>The LDAP port (RFC 4511 5.2).</summary>
    public const int LdapPort = 389;

    /// <summary>The largest reply message accepted (a rootDSE entry with one attribute is about 100 bytes).</summary>
    public const int MaxMessageLength = 64 * 1024;

    /// <summary>The most reply messages read before the SearchResultDone.</summary>
    public const int MaxMessages = 8;

    private const string Attribute = "dnsHostName";
    private const int MessageId = 1;

    /// <summary>Asks <paramref name="host"/> for its rootDSE <c>dnsHostName</c>.</summary>
    /// <param name="host">The DC's address (or name).</param>
    /// <param name="port">The LDAP port.</param>
    /// <param name="timeout">The deadline for the whole exchange.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    /// <returns>The DC's DNS host name, lower-cased.</returns>
    /// <exception cref="InvalidDataException">The reply is malformed, has no usable dnsHostName, or the search failed.</exception>
    /// <exception cref="IOException">The server cannot be reached or closed the connection.</exception>
    /// <exception cref="TimeoutException">No complete answer within <paramref name="timeout"/>.</exception>
    public static async Task<string> GetDnsHostNameAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string where = string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            byte[] request = RootDseMessages.EncodeSearchRequest(MessageId, Attribute, timeLimitSeconds: Math.Max(1, (int)timeout.TotalSeconds));
            await socket.SendAsync(request, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            string? found = null;
            for (int i = 0; i < MaxMessages; i++)
            {
                byte[] message = await ReceiveMessageAsync(socket, where, deadline.Token).ConfigureAwait(false);
                RootDseMessages.ReplyKind kind = RootDseMessages.ParseReply(message, MessageId, Attribute, out string? value);
                found ??= value;
                if (kind == RootDseMessages.ReplyKind.Done)
                {
                    return Validate(found, where);
                }
            }

            throw new InvalidDataException($"The LDAP server {where} sent more than {MaxMessages} messages for a rootDSE search.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The LDAP server {where} did not answer the rootDSE search within {timeout.TotalSeconds:0.#} s.");
        }
        catch (SocketException e)
        {
            throw new IOException($"The LDAP server {where} could not be reached ({e.SocketErrorCode}).", e);
        }
    }

    /// <summary>Checks that <paramref name="name"/> is a DNS host name and lower-cases it.</summary>
    /// <param name="name">The dnsHostName value, or <see langword="null"/>.</param>
    /// <param name="where">The server, for the message.</param>
    /// <returns>The name.</returns>
    /// <exception cref="InvalidDataException">It is absent or not a DNS host name.</exception>
    internal static string Validate(string? name, string where)
    {
        if (name is null)
        {
            throw new InvalidDataException($"The LDAP server {where} has no dnsHostName in its rootDSE (is it an Active Directory domain controller?).");
        }

        string trimmed = name.TrimEnd('.');
        string[] labels = trimmed.Split('.');
        bool valid = trimmed.Length is > 0 and <= 253 && labels.Length >= 2
            && labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
        return valid
            ? trimmed.ToLowerInvariant()
            : throw new InvalidDataException($"The LDAP server {where} sent a dnsHostName that is not a DNS host name.");
    }

    private static async Task<byte[]> ReceiveMessageAsync(Socket socket, string where, CancellationToken cancellationToken)
    {
        // The header is at most 6 bytes (tag, 0x84, four length bytes); read it byte by byte so no byte of the next
        // message is consumed, then exactly the announced rest.
        byte[] header = new byte[6];
        int have = 0;
        int total;
        while ((total = RootDseMessages.GetMessageLength(header.AsSpan(0, have), MaxMessageLength)) == 0)
        {
            await ReceiveExactlyAsync(socket, header.AsMemory(have, 1), where, cancellationToken).ConfigureAwait(false);
            have++;
        }

        if (total < have)
        {
            throw new InvalidDataException($"The LDAP server {where} sent a message shorter than its own header.");
        }

        byte[] message = new byte[total];
        header.AsSpan(0, have).CopyTo(message);
        await ReceiveExactlyAsync(socket, message.AsMemory(have), where, cancellationToken).ConfigureAwait(false);
        return message;
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, string where, CancellationToken cancellationToken)
    {
        int received = 0;
        while (received < buffer.Length)
        {
            int read = await socket.ReceiveAsync(buffer[received..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"The LDAP server {where} closed the connection in the middle of its reply.");
            }

            received += read;
        }
    }
}
