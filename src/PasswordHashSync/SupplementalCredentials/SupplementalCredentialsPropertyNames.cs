namespace PasswordHashSync.SupplementalCredentials;

/// <summary>The property names a domain controller writes into <c>supplementalCredentials</c> (MS-SAMR 3.1.1.8.11).</summary>
public static class SupplementalCredentialsPropertyNames
{
    /// <summary>The reversibly encrypted password, UTF-16LE (only with "store passwords using reversible encryption").</summary>
    public const string Cleartext = "Primary:CLEARTEXT";

    /// <summary><c>KERB_STORED_CREDENTIAL_NEW</c>: AES and DES keys.</summary>
    public const string KerberosNewerKeys = "Primary:Kerberos-Newer-Keys";

    /// <summary><c>KERB_STORED_CREDENTIAL</c>: DES keys.</summary>
    public const string Kerberos = "Primary:Kerberos";

    /// <summary><c>WDIGEST_CREDENTIALS</c>: 29 MD5 hashes.</summary>
    public const string WDigest = "Primary:WDigest";

    /// <summary>16 random bytes written by Windows Server 2016 and later DCs on each password change.</summary>
    public const string NtlmStrongNtowf = "Primary:NTLM-Strong-NTOWF";

    /// <summary>The NUL-separated list of the package names present.</summary>
    public const string Packages = "Packages";
}
