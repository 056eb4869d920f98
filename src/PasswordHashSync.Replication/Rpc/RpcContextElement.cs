namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// One presentation context of a bind or alter_context (C706 12.6.3.1 <c>p_cont_elem_t</c>; [idl] <c>dcerpc_ctx_list</c>)
/// with the single transfer syntax this client offers: p_cont_id u16, n_transfer_syn u8 (1), reserved u8, the
/// abstract syntax and the transfer syntax, 44 bytes.
/// </summary>
/// <param name="ContextId">p_cont_id: the id requests name.</param>
/// <param name="AbstractSyntax">The interface.</param>
/// <param name="TransferSyntax">The transfer syntax (NDR 2.0).</param>
internal readonly record struct RpcContextElement(ushort ContextId, RpcSyntaxId AbstractSyntax, RpcSyntaxId TransferSyntax)
{
    /// <summary>The encoded length with one transfer syntax.</summary>
    public const int Length = 4 + (2 * RpcSyntaxId.Length);
}
