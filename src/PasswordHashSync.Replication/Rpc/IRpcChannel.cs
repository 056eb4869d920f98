namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// One bound, authenticated DCE/RPC presentation context: what the DRSUAPI layer (<c>Drsr/</c>) calls. The stub
/// bytes are NDR 2.0, little-endian, aligned from the stub start. <c>RpcConnection</c> implements it; tests
/// implement it with recorded or generated replies.
/// </summary>
internal interface IRpcChannel
{
    /// <summary>The security context's session key (see <see cref="IRpcSecurityContext.SessionKey"/>).</summary>
    ReadOnlySpan<byte> SessionKey { get; }

    /// <summary>Sends one request (fragmented as needed) and returns the reassembled, unsealed response stub.</summary>
    /// <param name="opnum">The operation number.</param>
    /// <param name="requestStub">The NDR-marshalled input parameters.</param>
    /// <param name="cancellationToken">Cancels the call; the connection is then unusable.</param>
    /// <returns>The response stub in a pooled buffer; dispose it when parsed (it is zeroed on return).</returns>
    /// <exception cref="RpcFaultException">The server answered with a fault PDU.</exception>
    /// <exception cref="RpcProtocolException">The server's PDUs are malformed or out of order.</exception>
    /// <exception cref="RpcSecurityException">A response fragment failed verification.</exception>
    /// <exception cref="TimeoutException">The server did not answer within the call timeout.</exception>
    /// <exception cref="RpcConnectionException">The TCP connection failed or closed mid-reply.</exception>
    /// <exception cref="RpcAuthenticationException">The first call after authentication was refused (Samba answers a failed
    /// NTLM auth3 with fault nca_s_proto_error on the first request) or the server closed the connection before answering it.</exception>
    /// <exception cref="InvalidOperationException">The channel is unusable after an earlier timeout, cancellation or
    /// protocol, security or connection error; open a new one. A fault leaves it usable.</exception>
    ValueTask<RpcResponseStub> CallAsync(ushort opnum, ReadOnlyMemory<byte> requestStub, CancellationToken cancellationToken);
}
