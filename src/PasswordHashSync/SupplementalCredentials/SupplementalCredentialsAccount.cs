using PasswordHashSync.Kerberos;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>The account facts <see cref="SupplementalCredentialsGenerator"/> needs besides the password.</summary>
public sealed class SupplementalCredentialsAccount
{
    /// <summary>The <c>sAMAccountName</c> (computers end with <c>$</c>).</summary>
    public required string SamAccountName { get; init; }

    /// <summary>The <c>userPrincipalName</c>, or <see langword="null"/> (WDigest then uses <c>sam@dnsDomainName</c>).</summary>
    public string? UserPrincipalName { get; init; }

    /// <summary>The NetBIOS domain name, for example <c>CONTOSO</c>.</summary>
    public required string NetBiosDomainName { get; init; }

    /// <summary>The DNS domain name as configured (case kept for WDigest), for example <c>Contoso.com</c>.</summary>
    public required string DnsDomainName { get; init; }

    /// <summary>The kind of account, which decides the default Kerberos salt.</summary>
    public KerberosAccountType AccountType { get; init; } = KerberosAccountType.User;

    /// <summary>
    /// The Kerberos salt as text, or <see langword="null"/> for the default: for a user with a
    /// <see cref="UserPrincipalName"/>, UPPER(realm) + the UPN prefix (what Samba stores and DSInternals generates;
    /// whether Windows does the same when the prefix differs from the sAMAccountName is not verified); otherwise
    /// the MS-KILE 3.1.1.2 salt of <see cref="AccountType"/> from <see cref="DnsDomainName"/> and <see cref="SamAccountName"/>.
    /// When the salt of an existing account matters, pass the one stored in its blob.
    /// </summary>
    public string? KerberosSalt { get; init; }

    /// <summary>The AES iteration count (Active Directory: 4096).</summary>
    public int IterationCount { get; init; } = 4096;

    /// <summary>Whether "store password using reversible encryption" applies, which adds <c>Primary:CLEARTEXT</c>.</summary>
    public bool StoreCleartext { get; init; }

    /// <summary>
    /// The 16 random bytes Windows Server 2016+ writes as <c>Primary:NTLM-Strong-NTOWF</c>, or empty to leave the
    /// property out (Samba and older Windows do not write it). Pass it only to reproduce a given blob.
    /// </summary>
    public ReadOnlyMemory<byte> NtlmStrongNtowf { get; init; }

    /// <summary>The trailing Reserved5 byte of the blob (meaningless; Windows writes 0 or 1).</summary>
    public byte Reserved5 { get; init; }
}
