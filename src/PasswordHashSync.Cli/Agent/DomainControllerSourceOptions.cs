using System.Globalization;
using System.Net;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Replication;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// The domain controller source's settings (<c>Agent:Source:DomainController</c>). The password never sits in the
/// configuration file: it is read from <see cref="PasswordFile"/> (not readable by group or others, for example a
/// systemd credential) or given as <see cref="Password"/> through the environment variable
/// <see cref="PasswordEnvironmentVariable"/>; a <c>Password</c> key in the JSON file is refused. With
/// <see cref="KeytabFile"/> the account signs in with Kerberos keys and needs no password at all. <see cref="Auth"/>,
/// <see cref="Kdc"/> and <see cref="Realm"/> follow the rules of <c>pwsync replicate --auth --kdc --realm</c>
/// (<see cref="DirectoryCredentials"/>).
/// </summary>
internal sealed class DomainControllerSourceOptions
{
    /// <summary>The environment variable that may carry the password (the only place a <c>Password</c> key is accepted from).</summary>
    public const string PasswordEnvironmentVariable = AgentOptions.EnvironmentPrefix + "Agent__Source__DomainController__Password";

    /// <summary>The domain controller, <c>HOST</c>, <c>HOST:PORT</c> or <c>[IPv6]:PORT</c> (PORT: the DRSUAPI port; without it the DC's endpoint mapper on 135 is asked).</summary>
    public string? Host { get; set; }

    /// <summary>The DNS domain name, for example <c>corp.example.com</c>.</summary>
    public string? Domain { get; set; }

    /// <summary>The connector account (<c>USER</c>, <c>DOMAIN\USER</c> or <c>USER@DOMAIN</c>); it needs Replicating Directory Changes and Replicating Directory Changes All.</summary>
    public string? User { get; set; }

    /// <summary>A file holding the account's password (one trailing newline is removed); mode 0600 or 0400, or a systemd credential.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>How to sign in: <c>Negotiate</c> (the default: Kerberos first, NTLM only when Kerberos is not possible), <c>Kerberos</c> or <c>Ntlm</c>.</summary>
    public string? Auth { get; set; }

    /// <summary>The KDC, <c>HOST</c> or <c>HOST:PORT</c> (default: <see cref="Host"/> on port 88).</summary>
    public string? Kdc { get; set; }

    /// <summary>The Kerberos realm (default: the <c>@domain</c> of a <see cref="User"/> given as a UPN, else <see cref="Domain"/>, upper-cased).</summary>
    public string? Realm { get; set; }

    /// <summary>
    /// Whether Kerberos may pre-authenticate with RC4-HMAC (etype 23) when the account or the KDC offers nothing
    /// stronger (<c>pwsync --allow-rc4</c>); default false: such an account is refused, with no fall back to NTLM.
    /// </summary>
    public bool AllowRc4 { get; set; }

    /// <summary>An MIT keytab with the account's Kerberos keys instead of a password; mode 0600 or 0400, owned by the agent's user, no symbolic link; read again at every sign-in.</summary>
    public string? KeytabFile { get; set; }

    /// <summary>The password, from <see cref="PasswordEnvironmentVariable"/> only (never logged, never in the file).</summary>
    public string? Password { get; set; }

    /// <summary>Whether a configuration file (not the environment) holds a <c>Password</c> key (set by <see cref="AgentOptions.Bind"/>; not a setting).</summary>
    public bool PasswordInConfigurationFile { get; private set; }

    /// <summary>Records that a configuration file holds the password, which <see cref="Validate"/> then refuses.</summary>
    public void RefusePasswordFromFile() => PasswordInConfigurationFile = true;

    /// <summary>Every problem, one line each (no file is opened here; <see cref="DomainControllerCredentialReader"/> checks the password file).</summary>
    /// <returns>The problems.</returns>
    public IEnumerable<string> Validate()
    {
        const string Key = "Agent:Source:DomainController:";
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return Key + "Host is missing: the domain controller's name or address, HOST or HOST:PORT.";
        }
        else if (TryParseHost(Host, out _, out _) is string hostProblem)
        {
            yield return Key + "Host is '" + Host + "': " + hostProblem;
        }

        if (string.IsNullOrWhiteSpace(Domain))
        {
            yield return Key + "Domain is missing: the DNS domain, for example corp.example.com.";
        }
        else if (!IsDnsDomain(Domain))
        {
            yield return Key + "Domain is '" + Domain + "': it must be a DNS domain name such as corp.example.com.";
        }

        if (string.IsNullOrWhiteSpace(User))
        {
            yield return Key + "User is missing: the connector account with the replication rights (USER, DOMAIN\\USER or USER@DOMAIN).";
        }
        else if (TrySplitUser(User, Domain ?? string.Empty, out _, out _) is false)
        {
            yield return Key + "User is '" + User + "': it must be USER, DOMAIN\\USER or USER@DOMAIN.";
        }

        DirectoryAuthentication? authentication = TryParseAuthentication(Auth);
        if (authentication is null)
        {
            yield return Key + "Auth is '" + Auth + "': it must be Negotiate (the default: Kerberos first, NTLM only when Kerberos is not possible), Kerberos or Ntlm.";
        }

        foreach (string problem in ValidateKerberos(authentication))
        {
            yield return Key + problem;
        }

        bool keytab = !string.IsNullOrWhiteSpace(KeytabFile);
        if (PasswordInConfigurationFile)
        {
            yield return Key + "Password is in the configuration file: a password never goes there. Put it in a file only the agent's user can read (" + Key + "PasswordFile, mode 0600) or in the environment variable " + PasswordEnvironmentVariable + (keytab ? "; with KeytabFile no password is needed." : ".");
        }
        else if (keytab && (!string.IsNullOrWhiteSpace(PasswordFile) || !string.IsNullOrEmpty(Password)))
        {
            yield return Key + "KeytabFile and " + (string.IsNullOrWhiteSpace(PasswordFile) ? "the environment variable " + PasswordEnvironmentVariable : Key + "PasswordFile") + " are both set: give the keytab or a password, not both.";
        }
        else if (!keytab && string.IsNullOrWhiteSpace(PasswordFile) == string.IsNullOrEmpty(Password))
        {
            yield return string.IsNullOrWhiteSpace(PasswordFile)
                ? Key + "PasswordFile is missing: a file only the agent's user can read (mode 0600) with the account's password, or a systemd credential; or set the environment variable " + PasswordEnvironmentVariable + "; or give " + Key + "KeytabFile (Kerberos keys, no password)."
                : Key + "PasswordFile and the environment variable " + PasswordEnvironmentVariable + " are both set: give the password one way only.";
        }
    }

    /// <summary>How the account signs in (call after <see cref="Validate"/> found nothing).</summary>
    public DirectoryAuthentication Authentication => TryParseAuthentication(Auth) ?? DirectoryAuthentication.Negotiate;

    /// <summary>The KDC as host:port: <see cref="Kdc"/>, or <see cref="Host"/>'s host on port 88 (call after <see cref="Validate"/>).</summary>
    /// <returns>host:port.</returns>
    public string ToKdcEndpoint()
    {
        if (string.IsNullOrWhiteSpace(Kdc))
        {
            _ = TryParseHost(Host!, out string dcHost, out _);
            return DirectoryCredentials.KdcEndpoint(dcHost);
        }

        _ = TryParseHost(Kdc, out string host, out int? port);
        return DirectoryCredentials.KdcEndpoint(host, port);
    }

    /// <summary>The realm: <see cref="Realm"/> upper-cased, else the one <c>pwsync replicate</c> would take (call after <see cref="Validate"/>).</summary>
    /// <returns>The realm.</returns>
    public string ToRealm()
    {
        if (!string.IsNullOrWhiteSpace(Realm))
        {
            return Realm.Trim().ToUpperInvariant();
        }

        (_, string userDomain) = SplitUser();
        return DirectoryCredentials.DefaultRealm(User!.Trim(), userDomain, Domain!);
    }

    private static DirectoryAuthentication? TryParseAuthentication(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        null or "" or "NEGOTIATE" => DirectoryAuthentication.Negotiate,
        "KERBEROS" => DirectoryAuthentication.Kerberos,
        "NTLM" => DirectoryAuthentication.Ntlm,
        _ => null,
    };

    private IEnumerable<string> ValidateKerberos(DirectoryAuthentication? authentication)
    {
        if (!string.IsNullOrWhiteSpace(Kdc) && TryParseHost(Kdc, out _, out _, "the KDC's port (88 when left out)") is string kdcProblem)
        {
            yield return "Kdc is '" + Kdc + "': " + kdcProblem;
        }

        if (!string.IsNullOrWhiteSpace(Realm) && !DirectoryCredentials.IsRealm(Realm.Trim()))
        {
            yield return "Realm is '" + Realm + "': it must be a Kerberos realm such as CORP.EXAMPLE.COM (no spaces, '@', '/' or '\\').";
        }

        if (authentication == DirectoryAuthentication.Ntlm)
        {
            if (!string.IsNullOrWhiteSpace(KeytabFile))
            {
                yield return "KeytabFile holds Kerberos keys; it cannot sign in with Auth = Ntlm (set Auth to Kerberos or Negotiate, or give a password instead).";
            }

            if (!string.IsNullOrWhiteSpace(Kdc) || !string.IsNullOrWhiteSpace(Realm))
            {
                yield return "Kdc and Realm are for Kerberos; they cannot be set with Auth = Ntlm.";
            }

            if (AllowRc4)
            {
                yield return "AllowRc4 is for Kerberos; it cannot be set with Auth = Ntlm.";
            }
        }
    }

    /// <summary>The replication client's options (call after <see cref="Validate"/> found nothing).</summary>
    /// <returns>The options.</returns>
    public DrsReplicationOptions ToReplicationOptions()
    {
        _ = TryParseHost(Host!, out string host, out int? port);
        return new DrsReplicationOptions { DomainController = host, Port = port, DnsDomain = Domain!.Trim().TrimEnd('.') };
    }

    /// <summary>The account name and its NTLM domain (the <c>DOMAIN\</c> or <c>@domain</c> part, else the DNS domain).</summary>
    /// <returns>The name and domain.</returns>
    public (string UserName, string UserDomain) SplitUser()
    {
        _ = TrySplitUser(User!, Domain!.Trim().TrimEnd('.'), out string name, out string domain);
        return (name, domain);
    }

    private static bool IsDnsDomain(string text)
    {
        string domain = text.Trim().TrimEnd('.');
        return domain.Length > 0 && domain.Split('.').All(label => label.Length > 0 && !label.Any(c => c is ',' or '=' || char.IsWhiteSpace(c)));
    }

    private static bool TrySplitUser(string text, string dnsDomain, out string name, out string domain)
    {
        text = text.Trim();
        int backslash = text.IndexOf('\\', StringComparison.Ordinal);
        int at = text.LastIndexOf('@');
        (name, domain) = backslash > 0 ? (text[(backslash + 1)..], text[..backslash])
            : at > 0 ? (text[..at], text[(at + 1)..])
            : (text, dnsDomain.Trim().TrimEnd('.'));
        return name.Length > 0 && (domain.Length > 0 || (backslash < 0 && at < 0)) && !name.Contains('\\', StringComparison.Ordinal);
    }

    // HOST, HOST:PORT, [IPv6] or [IPv6]:PORT; a bare IPv6 address (several colons) has no port. Returns the problem, or null.
    private static string? TryParseHost(string text, out string host, out int? port, string portMeaning = "the DRSUAPI port; leave it out to ask the DC's endpoint mapper")
    {
        text = text.Trim();
        host = text;
        port = null;
        string? portText = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                return "it must be HOST, HOST:PORT or [IPv6]:PORT.";
            }

            host = text[1..close];
            portText = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace) || (host.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(host, out _)))
        {
            return "it must be HOST, HOST:PORT or [IPv6]:PORT.";
        }

        if (portText is null)
        {
            return null;
        }

        if (int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is >= 1 and <= 65535)
        {
            port = value;
            return null;
        }

        return "the port must be a number from 1 to 65535 (" + portMeaning + ").";
    }
}
