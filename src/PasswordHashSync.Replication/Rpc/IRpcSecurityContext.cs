namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// A client security context that authenticates one DCE/RPC connection and then protects its request and response
/// PDUs at packet privacy (auth level 6). NTLMSSP (<c>Ntlm/</c>) and Kerberos (<c>Kerberos/</c>) implement it; the
/// connection (<c>RpcConnection</c>) drives the legs and places the tokens in bind, auth3 and alter_context.
/// </summary>
/// <remarks>
/// <para>Legs: <see cref="GetInitialToken"/> goes into the bind; the token from bind_ack goes to
/// <see cref="ProcessServerToken"/>, which says what to send next (auth3 with no reply, alter_context with a reply,
/// or nothing). The context is complete when <see cref="IsComplete"/> is true.</para>
/// <para>Per PDU (MS-RPCE 2.2.2.11, §1.8 of the DRSR notes): the caller builds the whole fragment image (header with
/// the final frag_length and auth_length, body, stub, auth pad, sec_trailer, and <see cref="SignatureLength"/>
/// bytes at the end for the auth_value), then calls <see cref="Seal"/>, which encrypts stub + pad in place and fills
/// the auth_value. On receive, <see cref="Unseal"/> decrypts stub + pad in place and verifies the auth_value; a
/// PDU that fails verification throws <see cref="RpcSecurityException"/>. Sequence numbers advance per PDU.</para>
/// <para>Secrets: the context owns its keys and zeroes them on <see cref="IDisposable.Dispose"/>; no key appears in
/// an exception message or <see cref="object.ToString"/>.</para>
/// </remarks>
internal interface IRpcSecurityContext : IDisposable
{
    /// <summary>The sec_trailer auth_type: 10 NTLMSSP, 16 raw Kerberos (DCE style), 9 SPNEGO.</summary>
    byte AuthType { get; }

    /// <summary>Whether the authentication legs are done and PDUs can be sealed.</summary>
    bool IsComplete { get; }

    /// <summary>The length of the auth_value this context appends to a request PDU (NTLM 16, Kerberos AES 76).</summary>
    int SignatureLength { get; }

    /// <summary>
    /// The session key MS-DRSR encrypts secrets with (MS-DRSR 4.1.10.5.11): the NTLM ExportedSessionKey (16 bytes),
    /// or the whole Kerberos acceptor subkey (32 bytes for AES256). Valid once <see cref="IsComplete"/> is true and
    /// until the context is disposed.
    /// </summary>
    ReadOnlySpan<byte> SessionKey { get; }

    /// <summary>The token for the bind PDU.</summary>
    /// <returns>The token bytes (the caller owns the array).</returns>
    byte[] GetInitialToken();

    /// <summary>Processes the server's token from bind_ack or alter_context_resp.</summary>
    /// <param name="serverToken">The auth_value the server sent.</param>
    /// <returns>What to send next.</returns>
    /// <exception cref="RpcAuthenticationException">The server's token is malformed or the authentication failed.</exception>
    RpcAuthStep ProcessServerToken(ReadOnlySpan<byte> serverToken);

    /// <summary>Encrypts stub + pad in place and writes the auth_value (the last <see cref="SignatureLength"/> bytes of <paramref name="pdu"/>).</summary>
    /// <param name="pdu">The whole fragment image, header fields final.</param>
    /// <param name="stubOffset">Where the stub starts in <paramref name="pdu"/>.</param>
    /// <param name="stubAndPadLength">The stub length plus the auth pad length (a multiple of 16).</param>
    void Seal(Span<byte> pdu, int stubOffset, int stubAndPadLength);

    /// <summary>Verifies an incoming fragment and decrypts stub + pad in place; the auth_value is the last auth_length bytes.</summary>
    /// <param name="pdu">The whole received fragment.</param>
    /// <param name="stubOffset">Where the stub starts in <paramref name="pdu"/>.</param>
    /// <param name="stubAndPadLength">The stub length plus the auth pad length.</param>
    /// <exception cref="RpcSecurityException">The signature or wrap token does not verify.</exception>
    void Unseal(Span<byte> pdu, int stubOffset, int stubAndPadLength);
}

/// <summary>What the connection sends after a server token.</summary>
/// <param name="Token">The client's next token, or <see langword="null"/> when nothing is sent.</param>
/// <param name="Leg">How the token travels.</param>
internal readonly record struct RpcAuthStep(byte[]? Token, RpcAuthLeg Leg);

/// <summary>The PDU that carries a client token after the bind.</summary>
internal enum RpcAuthLeg
{
    /// <summary>Nothing more to send; the context is complete.</summary>
    None,

    /// <summary>An rpc_auth_3 PDU, which the server does not answer (NTLMSSP, raw Kerberos).</summary>
    Auth3,

    /// <summary>An alter_context PDU, answered by alter_context_resp with another server token (SPNEGO).</summary>
    AlterContext,
}
