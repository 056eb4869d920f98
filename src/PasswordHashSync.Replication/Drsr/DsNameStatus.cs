namespace PasswordHashSync.Replication.Drsr;

/// <summary>DS_NAME_ERROR (MS-DRSR 4.1.4.1.6; IDL <c>drsuapi_DsNameStatus</c>): the status of one cracked name.</summary>
internal enum DsNameStatus : uint
{
    /// <summary>DS_NAME_NO_ERROR.</summary>
    Ok = 0,

    /// <summary>DS_NAME_ERROR_RESOLVING.</summary>
    ResolveError = 1,

    /// <summary>DS_NAME_ERROR_NOT_FOUND.</summary>
    NotFound = 2,

    /// <summary>DS_NAME_ERROR_NOT_UNIQUE.</summary>
    NotUnique = 3,

    /// <summary>DS_NAME_ERROR_NO_MAPPING.</summary>
    NoMapping = 4,

    /// <summary>DS_NAME_ERROR_DOMAIN_ONLY.</summary>
    DomainOnly = 5,

    /// <summary>DS_NAME_ERROR_NO_SYNTACTICAL_MAPPING.</summary>
    NoSyntacticalMapping = 6,

    /// <summary>DS_NAME_ERROR_TRUST_REFERRAL.</summary>
    TrustReferral = 7,
}
