namespace PasswordHashSync.Replication.Rpc;

/// <summary>The header's pfc_flags (C706 12.6.3.1; MS-RPCE 2.2.2.3; [idl] <c>dcerpc_pfc_flags</c>).</summary>
[Flags]
internal enum RpcPacketFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>PFC_FIRST_FRAG: the first fragment of a PDU.</summary>
    FirstFragment = 0x01,

    /// <summary>PFC_LAST_FRAG: the last fragment of a PDU (a one-fragment PDU carries both).</summary>
    LastFragment = 0x02,

    /// <summary>PFC_SUPPORT_HEADER_SIGN on bind-type PDUs, PFC_PENDING_CANCEL on others. Never set by this client.</summary>
    SupportHeaderSignOrPendingCancel = 0x04,

    /// <summary>PFC_CONC_MPX: concurrent multiplexing.</summary>
    ConcurrentMultiplexing = 0x10,

    /// <summary>PFC_DID_NOT_EXECUTE: set on faults when the call did not run.</summary>
    DidNotExecute = 0x20,

    /// <summary>PFC_MAYBE: maybe semantics.</summary>
    Maybe = 0x40,

    /// <summary>PFC_OBJECT_UUID: a 16-byte object UUID follows the request header.</summary>
    ObjectUuid = 0x80,

    /// <summary>Both fragment flags: a PDU in one fragment.</summary>
    FirstAndLast = FirstFragment | LastFragment,
}
