namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// One up-to-dateness cursor: UPTODATE_CURSOR_V2 (MS-DRSR 5.208; IDL <c>drsuapi_DsReplicaCursor2</c>, 32 bytes on the
/// wire) as a reply carries it, or UPTODATE_CURSOR_V1 (IDL <c>drsuapi_DsReplicaCursor</c>, 24 bytes, no time) as a
/// request sends it.
/// </summary>
/// <param name="InvocationId">uuidDsa: the invocationId of the DSA the USN belongs to.</param>
/// <param name="HighestUsn">usnHighPropUpdate.</param>
/// <param name="LastSyncSuccess">timeLastSyncSuccess (NTTIME); 0 in requests.</param>
internal readonly record struct UpToDateCursor(Guid InvocationId, long HighestUsn, long LastSyncSuccess);
