namespace PasswordHashSync.Replication;

/// <summary>The control access rights on the domain naming context that replicating secrets needs (MS-ADTS 5.1.3.2.1; reference-drsr.md §8).</summary>
[Flags]
public enum ReplicationRights
{
    /// <summary>No right.</summary>
    None = 0,

    /// <summary>"Replicating Directory Changes" (DS-Replication-Get-Changes, <c>1131f6aa-9c07-11d1-f79f-00c04fc2dcd2</c>): every replication request needs it.</summary>
    GetChanges = 1,

    /// <summary>"Replicating Directory Changes All" (DS-Replication-Get-Changes-All, <c>1131f6ad-9c07-11d1-f79f-00c04fc2dcd2</c>): a request that returns secrets needs it.</summary>
    GetChangesAll = 2,
}
