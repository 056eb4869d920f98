namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// Names and likely causes of the fault statuses a DC answers ([idl] <c>dcerpc_nca_status</c>; C706 appendix E;
/// MS-RPCE 2.2.2.12; what Samba 4.17 answered when measured, see the DRSR notes §1.11).
/// </summary>
internal static class RpcFaultStatus
{
    /// <summary>nca_s_fault_access_denied / ERROR_ACCESS_DENIED.</summary>
    public const uint AccessDenied = 0x00000005;

    /// <summary>nca_s_op_rng_error: the opnum is not implemented.</summary>
    public const uint OperationRangeError = 0x1C010002;

    /// <summary>nca_s_unknown_if: the interface is not registered.</summary>
    public const uint UnknownInterface = 0x1C010003;

    /// <summary>nca_s_proto_error: a malformed or out-of-order PDU, or (after auth3) refused credentials.</summary>
    public const uint ProtocolError = 0x1C01000B;

    /// <summary>nca_s_fault_sec_pkg_error (0x721): the security package failed.</summary>
    public const uint SecurityPackageError = 0x00000721;

    /// <summary>Describes a status for an administrator: the nca_s_* name and the likely cause.</summary>
    /// <param name="status">The fault status.</param>
    /// <returns>The description (never contains a secret).</returns>
    public static string Describe(uint status) => status switch
    {
        AccessDenied => "nca_s_fault_access_denied: the server denied the call (the account lacks the right, or the authentication was refused)",
        OperationRangeError => "nca_s_op_rng_error: the server does not implement this operation number",
        UnknownInterface => "nca_s_unknown_if: the server does not serve this interface",
        ProtocolError => "nca_s_proto_error: the server rejected a PDU as malformed or out of order; right after authentication this means the credentials were refused (wrong password, unknown or disabled account) or NTLM is disabled on the DC",
        0x1C00001A => "nca_s_fault_context_mismatch: the presentation context is not bound",
        0x1C00001C => "nca_s_invalid_pres_context_id: the presentation context id is unknown",
        0x1C00001D => "nca_s_unsupported_authn_level: the server does not accept this authentication level",
        0x1C00001F => "nca_s_invalid_checksum: the server could not verify a PDU's signature",
        0x000006F7 => "rpc_x_bad_stub_data: the server could not decode the request's NDR",
        SecurityPackageError => "nca_s_fault_sec_pkg_error: the security package failed (for example NTLM disabled on the DC)",
        0x000006D8 => "nca_s_fault_cant_perform: the server cannot perform the operation",
        0x1C000001 => "nca_s_fault_int_div_by_zero",
        0x1C010013 => "nca_s_fault_out_args_too_big: the reply exceeds what the server may send",
        0x1C000012 => "nca_s_fault_remote_no_memory: the server ran out of memory",
        0x1C010014 => "nca_s_server_too_busy: the server is too busy",
        _ => "an unrecognised fault status",
    };
}
