using System.Globalization;
using System.Net;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Ntlm;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The live-DC connection options shared by <c>pwsync sync --dc</c> and <c>pwsync replicate</c>:
/// <c>--dc HOST[:PORT] --domain DNS-DOMAIN --user USER [--auth negotiate|kerberos|ntlm] [--kdc HOST[:PORT]]
/// [--realm REALM] [--allow-rc4] (--password-stdin | --password-file FILE | --keytab FILE | PWSYNC_DC_PASSWORD | prompt)</c>. The
/// password is never taken from the command line. Checking the values (<see cref="FromValues"/>) is separate from use
/// (<see cref="ToReplicationOptions"/>, <see cref="CreateCredential"/>), so another argument parser can fill the record.
/// </summary>
/// <param name="Host">The DC's DNS name or IP address.</param>
/// <param name="Port">The DRSUAPI port, or <see langword="null"/> to ask the endpoint mapper.</param>
/// <param name="DnsDomain">The domain's DNS name.</param>
/// <param name="UserName">The account name (the part after <c>DOMAIN\</c> or before <c>@</c>).</param>
/// <param name="UserDomain">The account's domain for NTLM: the <c>DOMAIN\</c> or <c>@domain</c> part, or the DNS domain.</param>
/// <param name="PasswordFile">The file holding the password (with <see cref="DirectoryPasswordSource.File"/>) or the keytab (with <see cref="DirectoryPasswordSource.Keytab"/>).</param>
/// <param name="Authentication">How to sign in.</param>
/// <param name="Kdc">The KDC as host[:port]: <c>--kdc</c>, or the DC's host on port 88.</param>
/// <param name="Realm">The Kerberos realm: <c>--realm</c>, else the <c>@domain</c> of <c>--user</c> or <c>--domain</c>, upper-cased.</param>
/// <param name="PasswordSource">Where the secret comes from.</param>
/// <param name="AllowRc4">Whether Kerberos may use RC4-HMAC (<c>--allow-rc4</c>; off by default, it is weak).</param>
internal sealed record DirectorySourceOptions(
    string Host,
    int? Port,
    string DnsDomain,
    string UserName,
    string UserDomain,
    string? PasswordFile,
    DirectoryAuthentication Authentication = DirectoryAuthentication.Negotiate,
    string? Kdc = null,
    string? Realm = null,
    DirectoryPasswordSource PasswordSource = DirectoryPasswordSource.StandardInput,
    bool AllowRc4 = false)
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

    /// <summary>The authentication option.</summary>
    public const string AuthOption = "--auth";

    /// <summary>The KDC option.</summary>
    public const string KdcOption = "--kdc";

    /// <summary>The realm option.</summary>
    public const string RealmOption = "--realm";

    /// <summary>The keytab option.</summary>
    public const string KeytabOption = "--keytab";

    /// <summary>The flag that lets Kerberos use RC4-HMAC for an account or KDC that offers nothing stronger.</summary>
    public const string AllowRc4Flag = "--allow-rc4";

    /// <summary>The largest password file or standard input accepted, in bytes.</summary>
    public const int MaxPasswordBytes = DirectoryPasswordReader.MaxPasswordBytes;

    /// <summary>The help lines for these options (kept for the command's notes).</summary>
    public const string HelpText =
        "  --dc HOST[:PORT]     the domain controller (DNS name or IP; PORT is the DRSUAPI port, default: ask its endpoint mapper on 135)\n" +
        "  --domain DNS-DOMAIN  the domain's DNS name, for example contoso.com\n" +
        "  --user USER          the replication account (USER, DOMAIN\\USER or USER@DOMAIN); it needs \"Replicating Directory Changes\"\n" +
        "                       and \"Replicating Directory Changes All\" on the domain\n" +
        "  --auth MODE          negotiate (default: Kerberos, NTLM only when Kerberos is not possible), kerberos or ntlm\n" +
        "  --kdc HOST[:PORT]    the KDC (default: the DC, port 88)\n" +
        "  --realm REALM        the Kerberos realm (default: the upper-cased --domain)\n" +
        "  --keytab FILE        Kerberos keys of the account from an MIT keytab, instead of a password\n" +
        "  --allow-rc4          let Kerberos use RC4-HMAC (etype 23) when the account or KDC offers no AES key (weak; off by default)\n" +
        "  --password-stdin     read the account's password from standard input (one trailing newline is removed)\n" +
        "  --password-file FILE read it from FILE (one trailing newline is removed); never from the command line\n" +
        "                       (neither given: the environment variable PWSYNC_DC_PASSWORD, else a no-echo prompt on a terminal)\n";

    /// <summary>Reads an environment variable (tests replace it).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Checks the values of the options, or returns <see langword="null"/> when <c>--dc</c> is absent and none of the others is given.</summary>
    /// <param name="dc">The value of <c>--dc</c>, or <see langword="null"/>.</param>
    /// <param name="domainOption">The value of <c>--domain</c>, or <see langword="null"/>.</param>
    /// <param name="user">The value of <c>--user</c>, or <see langword="null"/>.</param>
    /// <param name="stdin">Whether <c>--password-stdin</c> was given.</param>
    /// <param name="file">The value of <c>--password-file</c>, or <see langword="null"/>.</param>
    /// <param name="auth">The value of <c>--auth</c>, or <see langword="null"/> (negotiate).</param>
    /// <param name="kdc">The value of <c>--kdc</c>, or <see langword="null"/> (the DC).</param>
    /// <param name="realm">The value of <c>--realm</c>, or <see langword="null"/>.</param>
    /// <param name="keytab">The value of <c>--keytab</c>, or <see langword="null"/>.</param>
    /// <param name="allowRc4">Whether <c>--allow-rc4</c> was given.</param>
    /// <returns>The options, or <see langword="null"/>.</returns>
    /// <exception cref="UsageException">An option is missing, malformed or contradicts another.</exception>
    public static DirectorySourceOptions? FromValues(
        string? dc, string? domainOption, string? user, bool stdin, string? file, string? auth = null, string? kdc = null, string? realm = null, string? keytab = null, bool allowRc4 = false)
    {
        if (dc is null)
        {
            string? other = domainOption is not null ? DomainOption : user is not null ? UserOption : file is not null ? PasswordFileOption : stdin ? PasswordStdinFlag
                : auth is not null ? AuthOption : kdc is not null ? KdcOption : realm is not null ? RealmOption : keytab is not null ? KeytabOption : allowRc4 ? AllowRc4Flag : null;
            return other is null ? null : throw new UsageException($"option {other} needs {DcOption}");
        }

        (string host, int? port) = ParseHost(dc);
        string domain = (domainOption ?? throw new UsageException($"option {DomainOption} is required with {DcOption}")).Trim().TrimEnd('.');
        if (domain.Length == 0 || domain.Split('.').Any(label => label.Length == 0 || label.Contains(',', StringComparison.Ordinal) || label.Contains('=', StringComparison.Ordinal)))
        {
            throw new UsageException($"option {DomainOption} must be a DNS domain name such as contoso.com");
        }

        string userText = user ?? throw new UsageException($"option {UserOption} is required with {DcOption}");
        (string userName, string userDomain) = ParseUser(userText, domain);
        DirectoryAuthentication authentication = ParseAuthentication(auth);
        int sources = (stdin ? 1 : 0) + (file is not null ? 1 : 0) + (keytab is not null ? 1 : 0);
        if (sources > 1)
        {
            throw new UsageException($"give at most one of {PasswordStdinFlag}, {PasswordFileOption} and {KeytabOption} (the password is never an argument)");
        }

        if (keytab is not null && authentication == DirectoryAuthentication.Ntlm)
        {
            throw new UsageException($"{KeytabOption} holds Kerberos keys; it cannot sign in with {AuthOption} ntlm");
        }

        if (authentication == DirectoryAuthentication.Ntlm && (kdc is not null || realm is not null))
        {
            throw new UsageException($"options {KdcOption} and {RealmOption} are for Kerberos, not {AuthOption} ntlm");
        }

        if (authentication == DirectoryAuthentication.Ntlm && allowRc4)
        {
            throw new UsageException($"option {AllowRc4Flag} is for Kerberos, not {AuthOption} ntlm");
        }

        if (keytab is not null && keytab.Trim().Length == 0)
        {
            throw new UsageException($"option {KeytabOption} needs a file");
        }

        DirectoryPasswordSource source = stdin ? DirectoryPasswordSource.StandardInput
            : file is not null ? DirectoryPasswordSource.File
            : keytab is not null ? DirectoryPasswordSource.Keytab
            : DirectoryPasswordSource.EnvironmentOrPrompt;
        string kdcEndpoint = ParseKdc(kdc, host);
        string kerberosRealm = ParseRealm(realm, userText, userDomain, domain);
        return new DirectorySourceOptions(host, port, domain, userName, userDomain, file ?? keytab, authentication, kdcEndpoint, kerberosRealm, source, allowRc4);
    }

    /// <summary>The replication client's options.</summary>
    /// <returns>The options.</returns>
    public DrsReplicationOptions ToReplicationOptions() => new() { DomainController = Host, Port = Port, DnsDomain = DnsDomain };

    /// <summary>Reads the password or keytab and makes the credential <see cref="Authentication"/> names; the password copy is zeroed.</summary>
    /// <param name="context">Standard input, the terminal flag and the no-echo prompt.</param>
    /// <returns>The credential (dispose it).</returns>
    /// <exception cref="DataException">The password or keytab cannot be read, is too long or malformed.</exception>
    /// <exception cref="UsageException">No password source was named and none is implied.</exception>
    public ReplicationCredential CreateCredential(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string realm = Realm ?? DnsDomain.ToUpperInvariant();
        string kdc = Kdc ?? ParseKdc(null, Host);
        if (PasswordSource == DirectoryPasswordSource.Keytab)
        {
            KerberosCredential fromKeytab = ReadKeytab(realm, kdc);
            return Authentication == DirectoryAuthentication.Negotiate ? new NegotiateCredential(fromKeytab, null) : fromKeytab;
        }

        char[] password = DirectoryPasswordReader.Read(PasswordSource, PasswordFile, UserName, context, Environment);
        try
        {
            return Authentication switch
            {
                DirectoryAuthentication.Ntlm => new NtlmCredential(UserName, UserDomain, password),
                DirectoryAuthentication.Kerberos => KerberosCredential.FromPassword(UserName, realm, password, kdc, AllowRc4),
                _ => new NegotiateCredential(KerberosCredential.FromPassword(UserName, realm, password, kdc, AllowRc4), new NtlmCredential(UserName, UserDomain, password)),
            };
        }
        finally
        {
            Array.Clear(password);
        }
    }

    /// <summary>Describes how <paramref name="credential"/> signed in, when a negotiate credential fell back to NTLM.</summary>
    /// <param name="credential">The credential after a connection.</param>
    /// <returns>A warning line, or <see langword="null"/>.</returns>
    public static string? DescribeFallback(ReplicationCredential credential) =>
        credential is NegotiateCredential { LastMechanism: "NTLM" } negotiate
            ? $"Kerberos was not possible ({negotiate.LastFallbackReason}); signed in with NTLM"
            : null;

    private KerberosCredential ReadKeytab(string realm, string kdc)
    {
        try
        {
            return KerberosCredential.FromKeytab(PasswordFile!, UserName, realm, kdc, AllowRc4);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or KerberosException)
        {
            throw new DataException($"cannot use the keytab {PasswordFile}: {e.Message}");
        }
    }

    private static DirectoryAuthentication ParseAuthentication(string? auth) => auth?.Trim().ToLowerInvariant() switch
    {
        null or "negotiate" => DirectoryAuthentication.Negotiate,
        "kerberos" => DirectoryAuthentication.Kerberos,
        "ntlm" => DirectoryAuthentication.Ntlm,
        _ => throw new UsageException($"option {AuthOption} must be negotiate, kerberos or ntlm"),
    };

    private static string ParseKdc(string? kdc, string dcHost)
    {
        if (kdc is null)
        {
            return dcHost.Contains(':', StringComparison.Ordinal) ? "[" + dcHost + "]:88" : dcHost + ":88";
        }

        (string host, int? port) = ParseHost(kdc, KdcOption);
        string bracketed = host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;
        return bracketed + ":" + (port ?? 88).ToString(CultureInfo.InvariantCulture);
    }

    private static string ParseRealm(string? realm, string userText, string userDomain, string dnsDomain)
    {
        if (realm is not null)
        {
            string trimmed = realm.Trim();
            return trimmed.Length > 0 && !trimmed.Any(c => char.IsWhiteSpace(c) || c is '@' or '/' or '\\')
                ? trimmed.ToUpperInvariant()
                : throw new UsageException($"option {RealmOption} must be a realm such as CONTOSO.COM");
        }

        // USER@contoso.com names the realm; DOMAIN\USER names a NetBIOS domain, which is no realm.
        bool upn = userText.Contains('@', StringComparison.Ordinal) && !userText.Contains('\\', StringComparison.Ordinal) && userDomain.Contains('.', StringComparison.Ordinal);
        return (upn ? userDomain : dnsDomain).ToUpperInvariant();
    }

    private static (string Host, int? Port) ParseHost(string text, string option = DcOption)
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
                throw new UsageException($"option {option} must be HOST, HOST:PORT or [IPv6]:PORT");
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
            throw new UsageException($"option {option} must be HOST, HOST:PORT or [IPv6]:PORT");
        }

        if (port is null)
        {
            return (host, null);
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is >= 1 and <= 65535
            ? (host, value)
            : throw new UsageException($"the port in {option} must be a number from 1 to 65535");
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
}
