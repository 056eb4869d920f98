using System.Globalization;
using System.Net.Sockets;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication;

/// <summary>
/// Turns transport and protocol failures into the diagnostics an administrator acts on: connectivity (unreachable,
/// port closed, reset, timeout), authentication (wrong password), and missing replication rights with the remedy the
/// troubleshooting document gives ("grant Replicating Directory Changes and Replicating Directory Changes All"), and
/// a failed sign-in worded by who refused and why (<see cref="SignIn"/>).
/// </summary>
internal static class ReplicationErrors
{
    /// <summary>The DCE/RPC fault Samba and Windows send for a call on a connection whose authentication failed (nca_s_fault_access_denied / ERROR_ACCESS_DENIED).</summary>
    private const uint AccessDeniedFault = 5;

    /// <summary>Maps a failure to the public error type, or returns <see langword="null"/> to let it pass unchanged.</summary>
    /// <param name="error">The failure.</param>
    /// <param name="endpoint">"host:port" of the DC, for the message.</param>
    /// <param name="credential">Who signed in (name only), for the message.</param>
    /// <returns>The exception to throw instead, or <see langword="null"/>.</returns>
    public static Exception? Translate(Exception error, string endpoint, ReplicationCredential? credential) => error switch
    {
        ReplicationConnectivityException or ReplicationAccessDeniedException or RpcAuthenticationException => null,
        RpcFaultException { Status: AccessDeniedFault } fault => new RpcAuthenticationException(
            $"The domain controller {endpoint} refused the credentials of {credential?.ToString() ?? "the account"}: wrong password, unknown, disabled or locked-out account. Check the account and its password; pwsync does not retry a refused password within the cycle.",
            fault),
        RpcConnectionException connection => Connectivity(endpoint, Describe(connection), connection),
        SocketException socket => Connectivity(endpoint, Describe(socket), socket),
        TimeoutException timeout => Connectivity(endpoint, "no reply in time (" + timeout.Message + ")", timeout),
        IOException io => Connectivity(endpoint, "the connection failed (" + io.Message + ")", io),
        _ => null,
    };

    /// <summary>The diagnostic for ERROR_DS_DRA_ACCESS_DENIED, once the client knows which right is missing.</summary>
    /// <param name="missing">The missing rights.</param>
    /// <param name="credential">Who signed in.</param>
    /// <param name="namingContext">The domain NC the rights belong on.</param>
    /// <param name="error">The DC's answer.</param>
    /// <returns>The exception.</returns>
    public static ReplicationAccessDeniedException AccessDenied(ReplicationRights missing, ReplicationCredential credential, string namingContext, DrsErrorException error)
    {
        string which = missing == ReplicationRights.GetChangesAll
            ? "\"Replicating Directory Changes All\" (it holds \"Replicating Directory Changes\": the DC answers requests without secrets)"
            : "\"Replicating Directory Changes\" (the DC refuses even a request without secrets) and, unless already granted, \"Replicating Directory Changes All\"";
        string message = string.Create(CultureInfo.InvariantCulture,
            $"The domain controller refused replication to {credential} ({error.ErrorName}, {error.Win32Error}): the account lacks {which} on {namingContext}. " +
            $"Password hash synchronization needs both rights. Remedy: grant the account \"Replicating Directory Changes\" and \"Replicating Directory Changes All\" on the domain root {namingContext} " +
            $"(Active Directory Users and Computers: domain, Properties, Security, Advanced; or on Samba: samba-tool dsacl set --objectdn={namingContext} " +
            $"--sddl='(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;SID)(OA;;CR;1131f6ad-9c07-11d1-f79f-00c04fc2dcd2;;SID)' with the account's SID), then run the sync again.");
        return new ReplicationAccessDeniedException(missing, message);
    }

    /// <summary>
    /// The sign-in failure an administrator reads, saying who refused and why: the domain controller (NTLM, or the
    /// Kerberos AP exchange), the KDC (with the RFC 4120 error name), a KDC that could not be reached (host:port and
    /// how), an account with only weak encryption, or "Cannot sign in with Kerberos: cause" for anything else. Worded from
    /// <see cref="KerberosException.Failure"/> and the error code, not from the text of the exception.
    /// </summary>
    /// <param name="error">The failure of the connection's sign-in.</param>
    /// <param name="domainController">The DC as given (host, or host:port).</param>
    /// <param name="credential">Who signed in (names only).</param>
    /// <returns>
    /// The exception to throw, with <paramref name="error"/> as its inner exception: a
    /// <see cref="ReplicationConnectivityException"/> for a KDC that could not be reached (retried next cycle, like an
    /// unreachable DC, without the back-off of a refused password), else an <see cref="RpcAuthenticationException"/>.
    /// </returns>
    public static ReplicationException SignIn(RpcAuthenticationException error, string domainController, ReplicationCredential credential)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(credential);
        if (error is not KerberosException kerberos)
        {
            // Translate already worded an access-denied fault with the DC and the account.
            return error is { InnerException: RpcFaultException { Status: AccessDeniedFault } } && error.GetType() == typeof(RpcAuthenticationException)
                ? error
                : new RpcAuthenticationException($"The domain controller {domainController} refused the credentials of {credential} ({Mechanism(credential)}): {error.Message}{FallbackNote(credential)}", error);
        }

        string principal = KerberosPrincipal(credential);
        int code = kerberos.ErrorCode;
        string message = kerberos.Failure switch
        {
            KerberosFailure.KdcRefused => string.Create(CultureInfo.InvariantCulture,
                $"Cannot sign in with Kerberos as {principal}: the KDC {kerberos.Kdc} refused it with {KerberosErrorCode.Name(code)} ({code}): {KerberosErrorCode.Reason(code)}."),
            KerberosFailure.KdcUnreachable =>
                $"Cannot sign in with Kerberos as {principal}: the KDC {kerberos.Kdc} could not be reached ({kerberos.UnreachableReason}). Check the KDC's host and port (pwsync --kdc) and that this host reaches it on TCP.",
            KerberosFailure.ServerRefused => string.Create(CultureInfo.InvariantCulture,
                $"The domain controller {domainController} refused the Kerberos sign-in of {principal} with {KerberosErrorCode.Name(code)} ({code}): {KerberosErrorCode.Reason(code)}."),
            _ => $"Cannot sign in with Kerberos as {principal}: {Uncapitalized(kerberos.Message)}",
        };
        return kerberos.Failure == KerberosFailure.KdcUnreachable
            ? new ReplicationConnectivityException(message, kerberos)
            : new RpcAuthenticationException(message, kerberos);
    }

    private static string Mechanism(ReplicationCredential credential) => credential switch
    {
        NtlmCredential => "NTLM",
        KerberosCredential => "Kerberos",
        NegotiateCredential negotiate => negotiate.LastMechanism ?? "Kerberos",
        _ => credential.GetType().Name,
    };

    private static string FallbackNote(ReplicationCredential credential) =>
        credential is NegotiateCredential { LastMechanism: "NTLM", LastFallbackReason: { } reason } ? " (NTLM was used because Kerberos was not possible: " + reason.TrimEnd('.') + ".)" : string.Empty;

    private static string KerberosPrincipal(ReplicationCredential credential) => credential switch
    {
        KerberosCredential kerberos => kerberos.UserName + "@" + kerberos.Domain,
        NegotiateCredential negotiate => negotiate.Kerberos.UserName + "@" + negotiate.Kerberos.Domain,
        _ => credential.ToString(),
    };

    // "The KDC ..." continues a sentence after a colon; other first words (names, "RC4") keep their case.
    private static string Uncapitalized(string text) => text.StartsWith("The ", StringComparison.Ordinal) ? "the " + text[4..] : text;

    private static ReplicationConnectivityException Connectivity(string endpoint, string what, Exception inner) => new(
        $"Cannot replicate from the domain controller {endpoint}: {what}. Check that the DC is running and that this host reaches it (TCP 135 for the endpoint mapper and the DRSUAPI port, usually 49152-65535; a firewall may block them). The cycle failed; the next one tries again and nothing is lost.",
        inner);

    private static string Describe(Exception connection) => connection.InnerException is SocketException socket ? Describe(socket) : connection.Message.TrimEnd('.');

    private static string Describe(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "the port is closed (connection refused)",
        SocketError.ConnectionReset or SocketError.ConnectionAborted => "the connection was reset",
        SocketError.TimedOut => "the connection timed out",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the name does not resolve",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown => "the host is unreachable",
        _ => "socket error " + socket.SocketErrorCode.ToString(),
    };
}
