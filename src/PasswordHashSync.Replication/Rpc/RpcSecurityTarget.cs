namespace PasswordHashSync.Replication.Rpc;

/// <summary>The server a security context authenticates to.</summary>
/// <param name="HostName">The DC's DNS host name (for the Kerberos service principal, for example <c>ldap/dc1.contoso.com</c>); an IP address only when no name is known.</param>
/// <param name="DnsDomain">The DNS domain of the DC, when known.</param>
internal readonly record struct RpcSecurityTarget(string HostName, string? DnsDomain);
