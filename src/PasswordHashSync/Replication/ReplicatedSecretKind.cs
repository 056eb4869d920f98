namespace PasswordHashSync.Replication;

/// <summary>
/// The secret attributes a domain controller encrypts in an MS-DRSR <c>IDL_DRSGetNCChanges</c> reply
/// (MS-DRSR 4.1.10.6.17). The first four also carry the RID-keyed DES layer of MS-SAMR 2.2.11.1.
/// </summary>
public enum ReplicatedSecretKind
{
    /// <summary><c>unicodePwd</c>: the 16-byte NT hash (RID-DES layer applies).</summary>
    UnicodePwd = 0,

    /// <summary><c>dBCSPwd</c>: the 16-byte LM hash (RID-DES layer applies).</summary>
    DbcsPwd = 1,

    /// <summary><c>ntPwdHistory</c>: 16 bytes per previous NT hash, newest first (RID-DES layer applies to each).</summary>
    NtPwdHistory = 2,

    /// <summary><c>lmPwdHistory</c>: 16 bytes per previous LM hash, newest first (RID-DES layer applies to each).</summary>
    LmPwdHistory = 3,

    /// <summary><c>supplementalCredentials</c>: a USER_PROPERTIES blob (envelope only, no RID-DES layer).</summary>
    SupplementalCredentials = 4,

    /// <summary><c>trustAuthIncoming</c> (envelope only).</summary>
    TrustAuthIncoming = 5,

    /// <summary><c>trustAuthOutgoing</c> (envelope only).</summary>
    TrustAuthOutgoing = 6,
}
