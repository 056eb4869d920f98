namespace PasswordHashSync.Replication.Drsr;

/// <summary>DS_NAME_FORMAT (MS-DRSR 4.1.4.1.3; IDL <c>drsuapi_DsNameFormat</c>): the formats IDL_DRSCrackNames converts between.</summary>
internal enum DsNameFormat : uint
{
    /// <summary>DS_UNKNOWN_NAME: the server guesses.</summary>
    Unknown = 0,

    /// <summary>DS_FQDN_1779_NAME: a distinguished name.</summary>
    Fqdn1779 = 1,

    /// <summary>DS_NT4_ACCOUNT_NAME: <c>DOMAIN\sAMAccountName</c>.</summary>
    Nt4Account = 2,

    /// <summary>DS_DISPLAY_NAME.</summary>
    Display = 3,

    /// <summary>DS_UNIQUE_ID_NAME: <c>{objectGUID}</c>.</summary>
    Guid = 6,

    /// <summary>DS_CANONICAL_NAME: <c>contoso.com/Users/Alice</c>.</summary>
    Canonical = 7,

    /// <summary>DS_USER_PRINCIPAL_NAME.</summary>
    UserPrincipal = 8,

    /// <summary>DS_SID_OR_SID_HISTORY_NAME.</summary>
    SidOrSidHistory = 11,

    /// <summary>DS_DNS_DOMAIN_NAME.</summary>
    DnsDomain = 12,

    /// <summary>DS_STRING_SID_NAME (MS-DRSR 4.1.4.1.3 extension): <c>S-1-5-…</c>.</summary>
    StringSid = 0xFFFFFFF4,
}
