using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Ntlm;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The live-DC connection options shared by <c>pwsync sync --dc</c> and <c>pwsync replicate</c>:
/// <c>--dc HOST[:PORT] --domain DNS-DOMAIN --user USER (--password-stdin | --password-file FILE)</c>. The password is
/// never taken from the command line. Checking the values (<see cref="FromValues"/>) is separate from use
/// (<see cref="ToReplicationOptions"/>, <see cref="CreateCredential"/>), so another argument parser can fill the record.
/// </summary>
/// <param name="Host">The DC's DNS name or IP address.</param>
/// <param name="Port">The DRSUAPI port, or <see langword="null"/> to ask the endpoint mapper.</param>
/// <param name="DnsDomain">The domain's DNS name.</param>
/// <param name="UserName">The account name (the part after <c>DOMAIN\</c> or before <c>@</c>).</param>
/// <param name="UserDomain">The account's domain for NTLM: the <c>DOMAIN\</c> or <c>@domain</c> part, or the DNS domain.</param>
/// <param name="PasswordFile">The file holding the password, or <see langword="null"/> to read standard input.</param>
internal sealed record DirectorySourceOptions(string Host, int? Port, string DnsDomain, string UserName, string UserDomain, string? PasswordFile)
{
    /// <summary>The DC option.</summary>
    public const string DcOption = "--dc";

    /// <summary>The DNS domain option.</summary>
    public const string DomainOption = "--domain";

    /// <summary>The account option.</summary>
    public const string UserOption = "--user";

    /// <summary>The flag that reads the password from standard input.</summary>
    public const string PasswordStdinFlag = "--password-stdin";

    /// <summary>The option naming a file that holds the password.</summary>
    public const string PasswordFileOption = "--password-file";

    /// <summary>The largest password file or standard input accepted, in bytes.</summary>
    public const int MaxPasswordBytes = 64 * 1024;

    /// <summary>The help lines for these options (kept for the command's notes).</summary>
    public const string HelpText =
        "  --dc HOST[:PORT]     the domain controller (DNS name or IP; PORT is the DRSUAPI port, default: ask its endpoint mapper on 135)\n" +
        "  --domain DNS-DOMAIN  the domain's DNS name, for example contoso.com\n" +
        "  --user USER          the replication account (USER, DOMAIN\\USER or USER@DOMAIN); it needs \"Replicating Directory Changes\"\n" +
        "                       and \"Replicating Directory Changes All\" on the domain\n" +
        "  --password-stdin     read the account's password from standard input (one trailing newline is removed)\n" +
        "  --password-file FILE read it from FILE (one trailing newline is removed); never from the command line\n";

    /// <summary>Checks the values of the options, or returns <see langword="null"/> when <c>--dc</c> is absent and none of the others is given.</summary>
    /// <param name="dc">The value of <c>--dc</c>, or <see langword="null"/>.</param>
    /// <param name="domainOption">The value of <c>--domain</c>, or <see langword="null"/>.</param>
    /// <param name="user">The value of <c>--user</c>, or <see langword="null"/>.</param>
    /// <param name="stdin">Whether <c>--password-stdin</c> was given.</param>
    /// <param name="file">The value of <c>--password-file</c>, or <see langword="null"/>.</param>
    /// <returns>The options, or <see langword="null"/>.</returns>
    /// <exception cref="UsageException">An option is missing or malformed.</exception>
    public static DirectorySourceOptions? FromValues(string? dc, string? domainOption, string? user, bool stdin, string? file)
    {
        if (dc is null)
        {
            string? other = domainOption is not null ? DomainOption : user is not null ? UserOption : file is not null ? PasswordFileOption : stdin ? PasswordStdinFlag : null;
            return other is null ? null : throw new UsageException($"option {other} needs {DcOption}");
        }

        (string host, int? port) = ParseHost(dc);
        string domain = (domainOption ?? throw new UsageException($"option {DomainOption} is required with {DcOption}")).Trim().TrimEnd('.');
        if (domain.Length == 0 || domain.Split('.').Any(label => label.Length == 0 || label.Contains(',', StringComparison.Ordinal) || label.Contains('=', StringComparison.Ordinal)))
        {
            throw new UsageException($"option {DomainOption} must be a DNS domain name such as contoso.com");
        }

        (string userName, string userDomain) = ParseUser(user ?? throw new UsageException($"option {UserOption} is required with {DcOption}"), domain);
        if (stdin == (file is not null))
        {
            throw new UsageException($"give exactly one of {PasswordStdinFlag} and {PasswordFileOption} (the password is never an argument)");
        }

        return new DirectorySourceOptions(host, port, domain, userName, userDomain, file);
    }

    /// <summary>The replication client's options.</summary>
    /// <returns>The options.</returns>
    public DrsReplicationOptions ToReplicationOptions() => new() { DomainController = Host, Port = Port, DnsDomain = DnsDomain };

    /// <summary>Reads the password (file or standard input) and makes the NTLM credential; the password copy is zeroed.</summary>
    /// <param name="standardInput">Standard input.</param>
    /// <returns>The credential (dispose it).</returns>
    /// <exception cref="DataException">The password cannot be read, is too long or is not UTF-8.</exception>
    public NtlmCredential CreateCredential(Stream standardInput)
    {
        ArgumentNullException.ThrowIfNull(standardInput);
        byte[] buffer = new byte[MaxPasswordBytes + 1];
        char[]? password = null;
        try
        {
            int length = PasswordFile is null ? ReadAll(standardInput, buffer) : ReadFile(PasswordFile, buffer);
            if (length > MaxPasswordBytes)
            {
                throw new DataException($"the password is longer than {MaxPasswordBytes} bytes");
            }

            if (length > 0 && buffer[length - 1] == (byte)'\n')
            {
                length--;
                length -= length > 0 && buffer[length - 1] == (byte)'\r' ? 1 : 0;
            }

            var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
            try
            {
                password = new char[utf8.GetCharCount(buffer, 0, length)];
                utf8.GetChars(buffer, 0, length, password, 0);
            }
            catch (DecoderFallbackException)
            {
                throw new DataException("the password is not valid UTF-8");
            }

            return new NtlmCredential(UserName, UserDomain, password);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            if (password is not null)
            {
                Array.Clear(password);
            }
        }
    }

    private static (string Host, int? Port) ParseHost(string text)
    {
        text = text.Trim();
        string host = text;
        string? port = null;
        if (text.StartsWith('['))
        {
            // [IPv6]:port or [IPv6]
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                throw new UsageException($"option {DcOption} must be HOST, HOST:PORT or [IPv6]:PORT");
            }

            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            port = text[(colon + 1)..];
        }

        if (host.Length == 0 || (host.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(host, out _)) || host.Any(char.IsWhiteSpace))
        {
            throw new UsageException($"option {DcOption} must be HOST, HOST:PORT or [IPv6]:PORT");
        }

        if (port is null)
        {
            return (host, null);
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is >= 1 and <= 65535
            ? (host, value)
            : throw new UsageException($"the port in {DcOption} must be a number from 1 to 65535");
    }

    private static (string Name, string Domain) ParseUser(string text, string dnsDomain)
    {
        text = text.Trim();
        int backslash = text.IndexOf('\\', StringComparison.Ordinal);
        int at = text.LastIndexOf('@');
        (string name, string domain) = backslash > 0 ? (text[(backslash + 1)..], text[..backslash])
            : at > 0 ? (text[..at], text[(at + 1)..])
            : (text, dnsDomain);
        return name.Length == 0 || domain.Length == 0
            ? throw new UsageException($"option {UserOption} must be USER, DOMAIN\\USER or USER@DOMAIN")
            : (name, domain);
    }

    private static int ReadFile(string path, byte[] buffer)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return ReadAll(file, buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot read the password file {path}: {e.Message}");
        }
    }

    private static int ReadAll(Stream stream, byte[] buffer)
    {
        int length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        return length;
    }
}
