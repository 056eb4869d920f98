using System.Buffers;
using System.Globalization;
using System.Net;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// One DCE/RPC connection-oriented association over TCP (ncacn_ip_tcp; C706 chapter 12, MS-RPCE) with one
/// presentation context (NDR 2.0 only) and, when a security context is given, authentication at packet privacy
/// (level 6) with one constant auth_context_id.
/// </summary>
/// <remarks>
/// <para>Calls run one at a time. A fault PDU for a call ends that call with <see cref="RpcFaultException"/> and
/// leaves the connection usable. After a timeout, a cancellation, a connection error, a protocol error or a failed
/// verification the connection is closed and unusable: every later call throws <see cref="InvalidOperationException"/>;
/// open a new connection.</para>
/// <para>The connection owns the security context and disposes it (also when <c>ConnectAsync</c> fails).</para>
/// </remarks>
internal sealed class RpcConnection : IRpcChannel, IAsyncDisposable
{
    /// <summary>The auth_context_id of every connection (Samba's client uses 1; it only has to stay constant).</summary>
    public const uint AuthContextId = 1;

    private readonly RpcTransport _transport;
    private readonly IRpcSecurityContext? _security;
    private readonly RpcConnectionOptions _options;
    private readonly SemaphoreSlim _callLock = new(1, 1);
    private readonly byte[] _receiveBuffer;
    private readonly RpcReassemblyBuffer _responseBuffer = new();
    private int _maxTransmitFragment;
    private uint _nextCallId = 1;
    private bool _authenticationConfirmed;
    private long _bytesBeforeResponse;
    private byte[] _lastServerToken = [];
    private string? _brokenReason;
    private bool _disposed;

    private RpcConnection(RpcTransport transport, IRpcSecurityContext? security, RpcConnectionOptions options)
    {
        _transport = transport;
        _security = security;
        _options = options;
        _receiveBuffer = ArrayPool<byte>.Shared.Rent(options.MaxFragmentSize);
        _authenticationConfirmed = security is null;
    }

    /// <summary>The fragment size requests are cut to: the smaller of the server's max_recv_frag and ours.</summary>
    public int MaxTransmitFragment => _maxTransmitFragment;

    /// <inheritdoc />
    public ReadOnlySpan<byte> SessionKey => _security is null
        ? throw new InvalidOperationException("An unauthenticated connection has no session key.")
        : _security.SessionKey;

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/>, binds and authenticates with a fresh security
    /// context from <paramref name="credential"/> (NTLM or Kerberos), targeting <paramref name="target"/>.
    /// </summary>
    /// <param name="host">A DNS name or IP address.</param>
    /// <param name="port">The TCP port (from <see cref="EndpointMapper"/> for DRSUAPI).</param>
    /// <param name="abstractSyntax">The interface, for example <see cref="RpcSyntaxId.Drsuapi"/>.</param>
    /// <param name="credential">Who signs in; the credential stays owned by the caller.</param>
    /// <param name="target">The DC's host name and DNS domain (the Kerberos service principal needs the name).</param>
    /// <param name="options">Timeouts and limits, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The bound, authenticated connection.</returns>
    public static async Task<RpcConnection> ConnectAsync(
        string host,
        int port,
        RpcSyntaxId abstractSyntax,
        ReplicationCredential credential,
        RpcSecurityTarget target,
        RpcConnectionOptions? options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        IRpcSecurityContext security = await credential.CreateSecurityContextAsync(target, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(host, port, abstractSyntax, security, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> and binds (see the <see cref="EndPoint"/> overload).</summary>
    /// <param name="host">A DNS name or IP address.</param>
    /// <param name="port">The TCP port (from <see cref="EndpointMapper"/> for DRSUAPI).</param>
    /// <param name="abstractSyntax">The interface, for example <see cref="RpcSyntaxId.Drsuapi"/>.</param>
    /// <param name="security">The security context (owned by the connection), or <see langword="null"/> for an unauthenticated bind.</param>
    /// <param name="options">Timeouts and limits, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The bound connection.</returns>
    public static Task<RpcConnection> ConnectAsync(string host, int port, RpcSyntaxId abstractSyntax, IRpcSecurityContext? security, RpcConnectionOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        EndPoint endPoint = IPAddress.TryParse(host, out IPAddress? address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
        return ConnectAsync(endPoint, abstractSyntax, security, options, cancellationToken);
    }

    /// <summary>
    /// Opens the TCP connection, binds <paramref name="abstractSyntax"/> with NDR 2.0 and runs the security legs
    /// (bind → bind_ack, then auth3 or alter_context as the context asks), all within <see cref="RpcConnectionOptions.ConnectTimeout"/>.
    /// </summary>
    /// <param name="endPoint">The server.</param>
    /// <param name="abstractSyntax">The interface.</param>
    /// <param name="security">The security context (owned by the connection), or <see langword="null"/> for an unauthenticated bind (endpoint mapper).</param>
    /// <param name="options">Timeouts and limits, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The bound connection.</returns>
    /// <exception cref="RpcConnectionException">The server cannot be reached or closed the connection.</exception>
    /// <exception cref="RpcAuthenticationException">The server refused the authentication or sent a bad token.</exception>
    /// <exception cref="RpcProtocolException">The server rejected the interface or sent malformed PDUs.</exception>
    /// <exception cref="RpcFaultException">The server answered the bind with a fault.</exception>
    /// <exception cref="TimeoutException">The connect or bind took longer than the timeout.</exception>
    public static async Task<RpcConnection> ConnectAsync(EndPoint endPoint, RpcSyntaxId abstractSyntax, IRpcSecurityContext? security, RpcConnectionOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        options ??= RpcConnectionOptions.Default;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        RpcConnection? connection = null;
        try
        {
            RpcTransport transport = await RpcTransport.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            connection = new RpcConnection(transport, security, options);
            await connection.BindAsync(abstractSyntax, timeout.Token).ConfigureAwait(false);
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeAfterFailureAsync(connection, security).ConfigureAwait(false);
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"Connecting and binding to {endPoint} took longer than {options.ConnectTimeout.TotalSeconds:0.#} s."));
        }
        catch
        {
            await DisposeAfterFailureAsync(connection, security).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The connection is unusable after an earlier failure.</exception>
    public async ValueTask<RpcResponseStub> CallAsync(ushort opnum, ReadOnlyMemory<byte> requestStub, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _callLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfBroken();
            uint callId = _nextCallId++;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.CallTimeout);
            try
            {
                await SendRequestAsync(callId, opnum, requestStub, timeout.Token).ConfigureAwait(false);
                RpcResponseStub stub = await ReceiveResponseAsync(callId, opnum, timeout.Token).ConfigureAwait(false);
                _authenticationConfirmed = true;
                return stub;
            }
            catch (RpcFaultException) when (_brokenReason is null)
            {
                throw;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Break("a call timed out");
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"The server did not answer opnum {opnum} within {_options.CallTimeout.TotalSeconds:0.#} s; the connection was closed."));
            }
            catch (OperationCanceledException)
            {
                Break("a call was cancelled");
                throw;
            }
            catch (RpcConnectionException e) when (!_authenticationConfirmed && _transport.BytesReceived == _bytesBeforeResponse)
            {
                Break("the connection was lost");
                throw new RpcAuthenticationException(
                    "The server closed the connection on the first call after NTLM/Kerberos authentication: it most likely refused the credentials.", e)
                { IsBindRefusal = true };
            }
            catch (ReplicationException)
            {
                Break("a protocol, security or connection error");
                throw;
            }
        }
        finally
        {
            _callLock.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _transport.Dispose();
            _security?.Dispose();
            ArrayPool<byte>.Shared.Return(_receiveBuffer, clearArray: true);
            _responseBuffer.Dispose();
            _callLock.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static async ValueTask DisposeAfterFailureAsync(RpcConnection? connection, IRpcSecurityContext? security)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            security?.Dispose();
        }
    }

    private void ThrowIfBroken()
    {
        if (_brokenReason is not null)
        {
            throw new InvalidOperationException($"The connection is unusable because {_brokenReason}; open a new connection.");
        }
    }

    private void Break(string reason)
    {
        _brokenReason ??= reason;
        _transport.Dispose();
    }

    private async Task BindAsync(RpcSyntaxId abstractSyntax, CancellationToken cancellationToken)
    {
        var bind = new RpcBindPdu((ushort)_options.MaxFragmentSize, (ushort)_options.MaxFragmentSize, 0,
            [new RpcContextElement(0, abstractSyntax, RpcSyntaxId.Ndr20)]);
        byte[]? token = _security?.GetInitialToken();
        uint bindCallId = _nextCallId++;
        RpcBindAckPdu ack = await SendBindAsync(bind, RpcPacketType.Bind, bindCallId, token, cancellationToken).ConfigureAwait(false);
        _maxTransmitFragment = Math.Min(ack.MaxReceiveFragment, _options.MaxFragmentSize);
        if (ack.MaxReceiveFragment < 1432)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"The server's max_recv_frag of {ack.MaxReceiveFragment} is below the 1432 bytes C706 requires."));
        }

        if (_security is null)
        {
            return;
        }

        RpcAuthStep step = _security.ProcessServerToken(_lastServerToken);
        while (step.Leg != RpcAuthLeg.None)
        {
            byte[] next = step.Token ?? throw new RpcAuthenticationException("The security context asked for another leg without a token.");
            if (step.Leg == RpcAuthLeg.Auth3)
            {
                // impacket reuses the bind's call_id for auth3; Samba accepts that and a fresh one (DRSR notes §1.9).
                byte[] auth3 = new byte[RpcAuth3Pdu.GetLength(next.Length)];
                _ = RpcAuth3Pdu.Write(auth3, bindCallId, Trailer(), next);
                await _transport.SendAsync(auth3, cancellationToken).ConfigureAwait(false);
                break;
            }

            _ = await SendBindAsync(bind, RpcPacketType.AlterContext, _nextCallId++, next, cancellationToken).ConfigureAwait(false);
            step = _security.ProcessServerToken(_lastServerToken);
        }

        if (!_security.IsComplete)
        {
            throw new RpcAuthenticationException("The authentication legs ended before the security context was complete.");
        }
    }

    private RpcSecurityTrailer Trailer() => new(_security!.AuthType, RpcSecurityTrailer.PacketPrivacy, 0, AuthContextId);

    private async Task<RpcBindAckPdu> SendBindAsync(RpcBindPdu bind, RpcPacketType type, uint callId, byte[]? token, CancellationToken cancellationToken)
    {
        int length = RpcBindPdu.GetLength(bind.Contexts.Count, token?.Length ?? 0);
        byte[] pdu = new byte[length];
        _ = bind.Write(pdu, type, callId, token is null ? null : Trailer(), token);
        await _transport.SendAsync(pdu, cancellationToken).ConfigureAwait(false);

        RpcPduHeader header = await _transport.ReceiveFragmentAsync(_receiveBuffer, _options.MaxFragmentSize, cancellationToken).ConfigureAwait(false);
        ReadOnlySpan<byte> fragment = _receiveBuffer.AsSpan(0, header.FragmentLength);
        RpcPacketType expected = type == RpcPacketType.Bind ? RpcPacketType.BindAck : RpcPacketType.AlterContextResponse;
        if (header.PacketType == RpcPacketType.BindNak)
        {
            RpcBindNakPdu nak = RpcBindNakPdu.Read(fragment);
            string message = $"The server refused the bind (bind_nak: {nak.Describe()}).";
            throw nak.Reason is 8 or 9 ? new RpcAuthenticationException(message) { IsBindRefusal = true } : new RpcProtocolException(message) { IsBindRefusal = true };
        }

        if (header.PacketType == RpcPacketType.Fault)
        {
            throw MapFault(RpcFaultPdu.Read(fragment).Status, type == RpcPacketType.Bind ? "the bind" : "the alter_context", bindRefusal: true);
        }

        if (header.PacketType != expected || header.CallId != callId || (header.Flags & RpcPacketFlags.FirstAndLast) != RpcPacketFlags.FirstAndLast)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"The server answered {type} (call {callId}) with {header.PacketType} (call {header.CallId}, flags 0x{(byte)header.Flags:X2})."));
        }

        RpcBindAckPdu ack = RpcBindAckPdu.Read(fragment, out byte[] authValue, out RpcSecurityTrailer? trailer);
        if (ack.Results.Count != 1)
        {
            throw new RpcProtocolException($"The server's {header.PacketType} has {ack.Results.Count} results for 1 presentation context.");
        }

        RpcBindResult result = ack.Results[0];
        if (result.Result != RpcBindResultCode.Acceptance || result.TransferSyntax != RpcSyntaxId.Ndr20)
        {
            string reason = result.Reason switch
            {
                1 => "abstract syntax not supported: the server does not serve " + bind.Contexts[0].AbstractSyntax,
                2 => "transfer syntax not supported: the server does not offer NDR 2.0",
                _ => "reason " + result.Reason.ToString(CultureInfo.InvariantCulture),
            };
            throw new RpcProtocolException($"The server rejected the presentation context ({result.Result}, {reason}).");
        }

        if (_security is not null)
        {
            if (trailer is not { } t || t.AuthType != _security.AuthType || t.AuthContextId != AuthContextId || t.AuthLevel != RpcSecurityTrailer.PacketPrivacy)
            {
                throw new RpcAuthenticationException($"The server's {header.PacketType} carries no matching authentication token (auth type {_security.AuthType}, level 6).");
            }

            _lastServerToken = authValue;
        }

        return ack;
    }

    private async Task SendRequestAsync(uint callId, ushort opnum, ReadOnlyMemory<byte> stub, CancellationToken cancellationToken)
    {
        int capacity = RpcRequestFragmenter.GetStubCapacity(_maxTransmitFragment, _security?.SignatureLength ?? -1);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(_maxTransmitFragment);
        try
        {
            int offset = 0;
            do
            {
                int length = RpcRequestFragmenter.WriteFragment(buffer, stub.Span, offset, capacity, callId, opnum, _security, AuthContextId, out offset);
                await _transport.SendAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
            while (offset < stub.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    private async Task<RpcResponseStub> ReceiveResponseAsync(uint callId, ushort opnum, CancellationToken cancellationToken)
    {
        using var assembler = new RpcResponseAssembler(callId, _options.MaxResponseSize, _security, AuthContextId, _responseBuffer);
        _bytesBeforeResponse = _transport.BytesReceived;
        while (true)
        {
            RpcPduHeader header = await _transport.ReceiveFragmentAsync(_receiveBuffer, _options.MaxFragmentSize, cancellationToken).ConfigureAwait(false);
            if (header.PacketType == RpcPacketType.Fault && header.CallId == callId)
            {
                uint status = RpcFaultPdu.Read(_receiveBuffer.AsSpan(0, header.FragmentLength)).Status;
                throw MapFault(status, "opnum " + opnum.ToString(CultureInfo.InvariantCulture));
            }

            if (assembler.Add(_receiveBuffer.AsSpan(0, header.FragmentLength), header))
            {
                return assembler.Complete();
            }
        }
    }

    private ReplicationException MapFault(uint status, string what, bool bindRefusal = false)
    {
        string description = RpcFaultStatus.Describe(status);
        bool authentication = !_authenticationConfirmed
            && status is RpcFaultStatus.ProtocolError or RpcFaultStatus.AccessDenied or RpcFaultStatus.SecurityPackageError;
        if (authentication)
        {
            Break("the server refused the authentication");
            return new RpcAuthenticationException(string.Create(CultureInfo.InvariantCulture,
                $"The server refused {what} right after authentication with fault 0x{status:X8} ({description}). Check the user name, domain and password, that the account is enabled and not locked out, and that the DC allows NTLM (Samba: 'ntlm auth'), or use Kerberos."),
                new RpcFaultException(status, description))
            { IsBindRefusal = true };
        }

        return new RpcFaultException(status, $"The server answered {what} with a fault: {description}") { IsBindRefusal = bindRefusal };
    }
}
