namespace PasswordHashSync.Replication.Rpc;

/// <summary>The connection-oriented PTYPE values this client sends or accepts (C706 12.6.4; MS-RPCE 2.2.2.10; [idl] <c>dcerpc_pkt_type</c>).</summary>
internal enum RpcPacketType : byte
{
    /// <summary>request: a call's input stub.</summary>
    Request = 0,

    /// <summary>response: a call's output stub.</summary>
    Response = 2,

    /// <summary>fault: the call failed with a status.</summary>
    Fault = 3,

    /// <summary>bind: opens the association and the first security leg.</summary>
    Bind = 11,

    /// <summary>bind_ack: the server accepts the bind.</summary>
    BindAck = 12,

    /// <summary>bind_nak: the server refuses the association.</summary>
    BindNak = 13,

    /// <summary>alter_context: another presentation context or security leg.</summary>
    AlterContext = 14,

    /// <summary>alter_context_resp: the answer to alter_context.</summary>
    AlterContextResponse = 15,

    /// <summary>rpc_auth_3: the last client security leg, never answered (MS-RPCE 2.2.2.10).</summary>
    Auth3 = 16,

    /// <summary>shutdown: the server asks the client to close.</summary>
    Shutdown = 17,
}
