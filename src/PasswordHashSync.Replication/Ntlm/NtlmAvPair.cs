namespace PasswordHashSync.Replication.Ntlm;

/// <summary>One AV_PAIR of a CHALLENGE's TargetInfo (MS-NLMP 2.2.2.1): AvId u16, AvLen u16, then AvLen bytes.</summary>
/// <param name="Id">AvId.</param>
/// <param name="Value">The value bytes.</param>
internal readonly record struct NtlmAvPair(NtlmAvId Id, ReadOnlyMemory<byte> Value);

/// <summary>AvId values (MS-NLMP 2.2.2.1).</summary>
internal enum NtlmAvId : ushort
{
    /// <summary>MsvAvEOL: the list ends.</summary>
    EndOfList = 0,

    /// <summary>MsvAvNbComputerName.</summary>
    NbComputerName = 1,

    /// <summary>MsvAvNbDomainName.</summary>
    NbDomainName = 2,

    /// <summary>MsvAvDnsComputerName.</summary>
    DnsComputerName = 3,

    /// <summary>MsvAvDnsDomainName.</summary>
    DnsDomainName = 4,

    /// <summary>MsvAvDnsTreeName.</summary>
    DnsTreeName = 5,

    /// <summary>MsvAvFlags: u32; 0x2 says the AUTHENTICATE carries a MIC.</summary>
    Flags = 6,

    /// <summary>MsvAvTimestamp: the server's FILETIME, 8 bytes.</summary>
    Timestamp = 7,

    /// <summary>MsvAvSingleHost.</summary>
    SingleHost = 8,

    /// <summary>MsvAvTargetName.</summary>
    TargetName = 9,

    /// <summary>MsvAvChannelBindings.</summary>
    ChannelBindings = 10,
}
