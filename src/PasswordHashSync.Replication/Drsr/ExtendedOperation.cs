namespace PasswordHashSync.Replication.Drsr;

/// <summary>EXOP_REQ (MS-DRSR 4.1.10.2.22; IDL <c>drsuapi_DsExtendedOperation</c>): the ulExtendedOp of a GetNCChanges request.</summary>
internal enum ExtendedOperation : uint
{
    /// <summary>EXOP_NONE: ordinary replication of the NC.</summary>
    None = 0,

    /// <summary>EXOP_REPL_OBJ: replicate one object.</summary>
    ReplicateObject = 6,

    /// <summary>EXOP_REPL_SECRETS: the RODC secret request (not for this client).</summary>
    ReplicateSecrets = 7,
}
