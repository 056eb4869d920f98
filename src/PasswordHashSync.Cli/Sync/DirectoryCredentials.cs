using System.Globalization;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Ntlm;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// How a replication account signs in, for <c>pwsync sync --dc</c>, <c>pwsync replicate</c> and the agent's
/// DomainController source alike: one rule for the mechanism (negotiate: Kerberos first, NTLM only when Kerberos is
/// not possible), the default KDC (the DC on port 88) and the default realm (the <c>@domain</c> of a UPN, else the DNS
/// domain, upper-cased).
/// </summary>
internal static class DirectoryCredentials
{
    /// <summary>The KDC's port when none is given.</summary>
    public const int KdcPort = 88;

    /// <summary>The credential for a password: NTLM, Kerberos, or both under <see cref="NegotiateCredential"/>.</summary>
    /// <param name="authentication">The mechanism.</param>
    /// <param name="userName">The account name.</param>
    /// <param name="userDomain">The account's NTLM domain.</param>
    /// <param name="realm">The Kerberos realm.</param>
    /// <param name="kdc">The KDC as host:port.</param>
    /// <param name="password">The password (copied by the credentials; the caller zeroes its own copy).</param>
    /// <param name="allowRc4">Whether Kerberos may use RC4-HMAC.</param>
    /// <returns>The credential (dispose it).</returns>
    public static ReplicationCredential FromPassword(
        DirectoryAuthentication authentication, string userName, string userDomain, string realm, string kdc, ReadOnlySpan<char> password, bool allowRc4 = false) =>
        authentication switch
        {
            DirectoryAuthentication.Ntlm => new NtlmCredential(userName, userDomain, password),
            DirectoryAuthentication.Kerberos => KerberosCredential.FromPassword(userName, realm, password, kdc, allowRc4),
            _ => new NegotiateCredential(KerberosCredential.FromPassword(userName, realm, password, kdc, allowRc4), new NtlmCredential(userName, userDomain, password)),
        };

    /// <summary>The credential for a keytab's Kerberos credential: itself, or under negotiate with no NTLM fallback (a keytab holds no NT hash).</summary>
    /// <param name="authentication">The mechanism (not NTLM).</param>
    /// <param name="fromKeytab">The keytab's credential; ownership passes to the result.</param>
    /// <returns>The credential (dispose it).</returns>
    public static ReplicationCredential FromKeytab(DirectoryAuthentication authentication, KerberosCredential fromKeytab) =>
        authentication == DirectoryAuthentication.Negotiate ? new NegotiateCredential(fromKeytab, null) : fromKeytab;

    /// <summary>The KDC as host:port from a host and an optional port (an IPv6 address in brackets).</summary>
    /// <param name="host">The host: the KDC's, or the DC's when no KDC is given.</param>
    /// <param name="port">The port, or <see langword="null"/> for 88.</param>
    /// <returns>host:port.</returns>
    public static string KdcEndpoint(string host, int? port = null) =>
        (host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host) + ":" + (port ?? KdcPort).ToString(CultureInfo.InvariantCulture);

    /// <summary>The realm when none is given: the domain of <c>USER@dns.domain</c>, else the DNS domain (<c>DOMAIN\USER</c> names a NetBIOS domain, which is no realm), upper-cased.</summary>
    /// <param name="userText">The account as given.</param>
    /// <param name="userDomain">Its domain part (or the DNS domain).</param>
    /// <param name="dnsDomain">The DNS domain.</param>
    /// <returns>The realm.</returns>
    public static string DefaultRealm(string userText, string userDomain, string dnsDomain)
    {
        bool upn = userText.Contains('@', StringComparison.Ordinal) && !userText.Contains('\\', StringComparison.Ordinal) && userDomain.Contains('.', StringComparison.Ordinal);
        return (upn ? userDomain : dnsDomain).Trim().TrimEnd('.').ToUpperInvariant();
    }

    /// <summary>Whether <paramref name="realm"/> can be a realm: not empty, no white space, '@', '/' or '\'.</summary>
    /// <param name="realm">The trimmed text.</param>
    /// <returns><see langword="true"/> when it can.</returns>
    public static bool IsRealm(string realm) => realm.Length > 0 && !realm.Any(c => char.IsWhiteSpace(c) || c is '@' or '/' or '\\');
}
