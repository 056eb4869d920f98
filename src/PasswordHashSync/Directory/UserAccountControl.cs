namespace PasswordHashSync.Directory;

/// <summary>
/// Bits of the Active Directory <c>userAccountControl</c> attribute (MS-ADTS 2.2.16) that matter
/// to password hash synchronization.
/// </summary>
[Flags]
public enum UserAccountControl
{
    /// <summary>No bit set.</summary>
    None = 0,

    /// <summary>ADS_UF_SCRIPT (0x1): a logon script runs.</summary>
    Script = 0x1,

    /// <summary>ADS_UF_ACCOUNTDISABLE (0x2): the account is disabled.</summary>
    AccountDisabled = 0x2,

    /// <summary>ADS_UF_HOMEDIR_REQUIRED (0x8).</summary>
    HomeDirectoryRequired = 0x8,

    /// <summary>ADS_UF_LOCKOUT (0x10).</summary>
    Lockout = 0x10,

    /// <summary>ADS_UF_PASSWD_NOTREQD (0x20): no password is required.</summary>
    PasswordNotRequired = 0x20,

    /// <summary>ADS_UF_PASSWD_CANT_CHANGE (0x40).</summary>
    PasswordCannotChange = 0x40,

    /// <summary>ADS_UF_ENCRYPTED_TEXT_PASSWORD_ALLOWED (0x80): reversible encryption.</summary>
    EncryptedTextPasswordAllowed = 0x80,

    /// <summary>ADS_UF_TEMP_DUPLICATE_ACCOUNT (0x100).</summary>
    TempDuplicateAccount = 0x100,

    /// <summary>ADS_UF_NORMAL_ACCOUNT (0x200): a regular user account.</summary>
    NormalAccount = 0x200,

    /// <summary>ADS_UF_INTERDOMAIN_TRUST_ACCOUNT (0x800): a trust account.</summary>
    InterdomainTrustAccount = 0x800,

    /// <summary>ADS_UF_WORKSTATION_TRUST_ACCOUNT (0x1000): a computer account.</summary>
    WorkstationTrustAccount = 0x1000,

    /// <summary>ADS_UF_SERVER_TRUST_ACCOUNT (0x2000): a domain controller account.</summary>
    ServerTrustAccount = 0x2000,

    /// <summary>ADS_UF_DONT_EXPIRE_PASSWD (0x10000): the password never expires.</summary>
    DontExpirePassword = 0x10000,

    /// <summary>ADS_UF_MNS_LOGON_ACCOUNT (0x20000).</summary>
    MnsLogonAccount = 0x20000,

    /// <summary>ADS_UF_SMARTCARD_REQUIRED (0x40000): smart card required for interactive logon (SCRIL).</summary>
    SmartCardRequired = 0x40000,

    /// <summary>ADS_UF_TRUSTED_FOR_DELEGATION (0x80000).</summary>
    TrustedForDelegation = 0x80000,

    /// <summary>ADS_UF_NOT_DELEGATED (0x100000).</summary>
    NotDelegated = 0x100000,

    /// <summary>ADS_UF_USE_DES_KEY_ONLY (0x200000).</summary>
    UseDesKeyOnly = 0x200000,

    /// <summary>ADS_UF_DONT_REQUIRE_PREAUTH (0x400000).</summary>
    DontRequirePreauth = 0x400000,

    /// <summary>ADS_UF_PASSWORD_EXPIRED (0x800000): computed; the password has expired.</summary>
    PasswordExpired = 0x800000,

    /// <summary>ADS_UF_TRUSTED_TO_AUTHENTICATE_FOR_DELEGATION (0x1000000).</summary>
    TrustedToAuthenticateForDelegation = 0x1000000,

    /// <summary>ADS_UF_PARTIAL_SECRETS_ACCOUNT (0x4000000): a read-only domain controller.</summary>
    PartialSecretsAccount = 0x4000000,
}
