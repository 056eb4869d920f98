using System.Net;

namespace PasswordHashSync.IntegrationTests.Samba;

/// <summary>What distinguishes one throwaway Samba AD DC from another: its domain and the few smb.conf choices a test needs.</summary>
public sealed record SambaDomainOptions
{
    /// <summary>The Kerberos realm, for example <c>KRB.EXAMPLE.TEST</c>.</summary>
    public required string Realm { get; init; }

    /// <summary>The NetBIOS domain name.</summary>
    public required string NetBiosDomain { get; init; }

    /// <summary>The DC's short host name (samba-tool's <c>--host-name</c>).</summary>
    public required string HostName { get; init; }

    /// <summary>Administrator's password.</summary>
    public required string AdministratorPassword { get; init; }

    /// <summary>The prefix of the temporary folder, so a leftover one says which fixture left it.</summary>
    public required string FolderPrefix { get; init; }

    /// <summary>
    /// Stores secrets in plain text at rest (<c>--plaintext-secrets</c>), so ldbsearch can read unicodePwd and
    /// supplementalCredentials from sam.ldb; the DC still encrypts them on the wire.
    /// </summary>
    public bool PlaintextSecrets { get; init; }

    /// <summary>
    /// Whether domain users read files over SMB (the netlogon share under the folder): samba serves them as the user's
    /// mapped Unix id, which must be able to enter the folder, so it is made 0755 instead of the owner-only 0700 a
    /// temporary subdirectory gets.
    /// </summary>
    public bool SharesReadByDomainUsers { get; init; }

    /// <summary>
    /// smb.conf [global] lines written after provisioning, as "name = value". samba-tool drops some provision options
    /// from the smb.conf it writes (<c>ntlm auth = disabled</c> among them), so such settings go in here instead.
    /// </summary>
    public IReadOnlyList<string> ExtraGlobalOptions { get; init; } = [];

    /// <summary>
    /// Whether the DC runs smbd and winbindd (SMB on port 445, for tests that sign in over SMB). Off by default: smbd
    /// reaches winbindd only at the host-wide /run/samba/winbindd/pipe, so two DCs that both run winbindd take it from
    /// each other; at most one DC at a time may set this (the fixtures that do share one non-parallel collection).
    /// </summary>
    public bool ServesSmb { get; init; }

    /// <summary>Whether the DC's standard output (its log, since it runs with -i) is kept for the tests to read (the last lines).</summary>
    public bool CaptureLog { get; init; }

    /// <summary>
    /// The loopback address to bind, or <see langword="null"/> for a random free one (<c>LoopbackAddress.Allocate</c>);
    /// the benchmark picks its own in a /16 block apart from the tests'.
    /// </summary>
    public IPAddress? Address { get; init; }
}
