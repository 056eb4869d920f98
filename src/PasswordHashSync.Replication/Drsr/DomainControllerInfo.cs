namespace PasswordHashSync.Replication.Drsr;

/// <summary>DS_DOMAIN_CONTROLLER_INFO_2W (MS-DRSR 4.1.5.1.4; IDL <c>drsuapi_DsGetDCInfo2</c>): one DC of the domain.</summary>
/// <param name="NetBiosName">NetbiosName.</param>
/// <param name="DnsHostName">DnsHostName.</param>
/// <param name="SiteName">SiteName.</param>
/// <param name="SiteObjectName">SiteObjectName (DN).</param>
/// <param name="ComputerObjectName">ComputerObjectName (DN of the DC's computer account).</param>
/// <param name="ServerObjectName">ServerObjectName (DN).</param>
/// <param name="NtdsDsaObjectName">NtdsDsaObjectName (DN of the NTDS Settings object).</param>
/// <param name="IsPdc">fIsPdc.</param>
/// <param name="IsEnabled">fDsEnabled.</param>
/// <param name="IsGlobalCatalog">fIsGc.</param>
/// <param name="SiteObjectGuid">SiteObjectGuid.</param>
/// <param name="ComputerObjectGuid">ComputerObjectGuid.</param>
/// <param name="ServerObjectGuid">ServerObjectGuid.</param>
/// <param name="NtdsDsaObjectGuid">NtdsDsaObjectGuid: the DSA GUID (uuidDsaObjDest of EXOP requests).</param>
internal sealed record DomainControllerInfo(
    string? NetBiosName,
    string? DnsHostName,
    string? SiteName,
    string? SiteObjectName,
    string? ComputerObjectName,
    string? ServerObjectName,
    string? NtdsDsaObjectName,
    bool IsPdc,
    bool IsEnabled,
    bool IsGlobalCatalog,
    Guid SiteObjectGuid,
    Guid ComputerObjectGuid,
    Guid ServerObjectGuid,
    Guid NtdsDsaObjectGuid);
