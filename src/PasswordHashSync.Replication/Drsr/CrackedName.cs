namespace PasswordHashSync.Replication.Drsr;

/// <summary>DS_NAME_RESULT_ITEMW (MS-DRSR 4.1.4.1.5; IDL <c>drsuapi_DsNameInfo1</c>): one IDL_DRSCrackNames result.</summary>
/// <param name="Status">Whether the name resolved.</param>
/// <param name="DnsDomain">pDomain: the DNS domain of the object, when known.</param>
/// <param name="Name">pName: the name in the desired format, when resolved.</param>
internal readonly record struct CrackedName(DsNameStatus Status, string? DnsDomain, string? Name);
