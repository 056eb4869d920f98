namespace PasswordHashSync.Replication.Drsr;

/// <summary>DRS_OPTIONS (MS-DRSR 5.41; IDL <c>drsuapi_DrsOptions</c>): the ulFlags of a GetNCChanges request (the subset used here).</summary>
[Flags]
internal enum DrsOptions : uint
{
    /// <summary>No options.</summary>
    None = 0,

    /// <summary>DRS_WRIT_REP: the destination is a writable replica.</summary>
    WritableReplica = 0x00000010,

    /// <summary>DRS_INIT_SYNC.</summary>
    InitialSync = 0x00000020,

    /// <summary>DRS_PER_SYNC.</summary>
    PeriodicSync = 0x00000040,

    /// <summary>DRS_GET_ANC: send parents before children.</summary>
    GetAncestors = 0x00000800,

    /// <summary>DRS_GET_NC_SIZE: fill cNumNcSizeObjects.</summary>
    GetNcSize = 0x00001000,

    /// <summary>DRS_FULL_SYNC_PACKET: ignore the up-to-dateness vector.</summary>
    FullSyncPacket = 0x00020000,

    /// <summary>DRS_NEVER_SYNCED.</summary>
    NeverSynced = 0x00200000,

    /// <summary>DRS_SPECIAL_SECRET_PROCESSING: secrets come back null (RODC use; never set for hash sync).</summary>
    SpecialSecretProcessing = 0x00400000,

    /// <summary>DRS_USE_COMPRESSION (never set: the client has no decompressor).</summary>
    UseCompression = 0x10000000,

    /// <summary>DRS_GET_ALL_GROUP_MEMBERSHIP.</summary>
    GetAllGroupMembership = 0x80000000,
}
