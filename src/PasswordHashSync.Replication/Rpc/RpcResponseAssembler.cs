using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// Reassembles one call's response from its fragments (C706 12.6.3.7; MS-RPCE 3.3.2.5.2): every fragment repeats the
/// call_id, the flags run FIRST, none…, LAST, each fragment is unsealed on its own and its auth pad dropped before its
/// stub is appended (the DRSR notes §1.6). The buffer grows only with bytes already received, never with alloc_hint,
/// and the total is checked against the limit before it grows. With a connection's <see cref="RpcReassemblyBuffer"/>
/// the stub is built in that one reused buffer (grown only past the largest reply so far); without one, in buffers of
/// <see cref="ArrayPool{T}.Shared"/>. Every buffer is zeroed before it is given back or dropped.
/// </summary>
internal sealed class RpcResponseAssembler : IDisposable
{
    private const int InitialCapacity = 16 * 1024;

    private readonly uint _callId;
    private readonly int _maxSize;
    private readonly IRpcSecurityContext? _security;
    private readonly uint _authContextId;
    private readonly RpcReassemblyBuffer? _reuse;
    private byte[]? _buffer;
    private int _length;
    private bool _started;

    /// <summary>Starts a reassembly.</summary>
    /// <param name="callId">The call_id every fragment must carry.</param>
    /// <param name="maxSize">The limit on the reassembled stub.</param>
    /// <param name="security">The context that unseals fragments, or <see langword="null"/> on an unauthenticated connection.</param>
    /// <param name="authContextId">The connection's auth_context_id.</param>
    /// <param name="reuse">The connection's reused buffer, or <see langword="null"/> to rent from <see cref="ArrayPool{T}.Shared"/>.</param>
    public RpcResponseAssembler(uint callId, int maxSize, IRpcSecurityContext? security, uint authContextId, RpcReassemblyBuffer? reuse = null)
    {
        _callId = callId;
        _maxSize = maxSize;
        _security = security;
        _authContextId = authContextId;
        _reuse = reuse;
    }

    /// <summary>Adds one response fragment (the caller has handled fault PDUs).</summary>
    /// <param name="fragment">The whole fragment (frag_length bytes); unsealed in place.</param>
    /// <param name="header">Its header.</param>
    /// <returns><see langword="true"/> when it was the last fragment.</returns>
    /// <exception cref="RpcProtocolException">A fragment is out of order, for another call, malformed, or the limit is exceeded.</exception>
    /// <exception cref="RpcSecurityException">A fragment fails verification.</exception>
    public bool Add(Span<byte> fragment, in RpcPduHeader header)
    {
        if (header.CallId != _callId)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"The server answered call_id {header.CallId} while call {_callId} was outstanding."));
        }

        if (header.PacketType != RpcPacketType.Response)
        {
            throw new RpcProtocolException($"The server sent a {header.PacketType} PDU where a response was expected.");
        }

        bool first = (header.Flags & RpcPacketFlags.FirstFragment) != 0;
        if (first == _started)
        {
            throw new RpcProtocolException(_started
                ? "The server started a new response (PFC_FIRST_FRAG) before finishing the previous one."
                : "The server's response does not begin with a PFC_FIRST_FRAG fragment.");
        }

        _started = true;
        RpcResponsePdu response = RpcResponsePdu.Read(fragment, header);
        int stubLength = response.StubAndPadLength;
        if (_security is not null)
        {
            if (response.Trailer is not { } trailer || trailer.AuthType != _security.AuthType
                || trailer.AuthLevel != RpcSecurityTrailer.PacketPrivacy || trailer.AuthContextId != _authContextId)
            {
                throw new RpcProtocolException("A response fragment lacks the connection's sec_trailer (auth type, level 6, context id).");
            }

            _security.Unseal(fragment[..header.FragmentLength], RpcResponsePdu.StubOffset, response.StubAndPadLength);
            stubLength -= trailer.AuthPadLength;
        }
        else if (response.Trailer is not null)
        {
            throw new RpcProtocolException("An unauthenticated connection received a response with an auth_value.");
        }

        Append(fragment.Slice(RpcResponsePdu.StubOffset, stubLength));
        if (_security is not null)
        {
            // The unsealed stub is now in the reassembly buffer (zeroed when the stub is disposed); the connection's
            // receive buffer must not keep a plaintext copy of the last fragment until the next call overwrites it.
            CryptographicOperations.ZeroMemory(fragment.Slice(RpcResponsePdu.StubOffset, response.StubAndPadLength));
        }

        return (header.Flags & RpcPacketFlags.LastFragment) != 0;
    }

    /// <summary>Hands the stub over; this object no longer owns it.</summary>
    /// <returns>The reassembled stub.</returns>
    public RpcResponseStub Complete()
    {
        byte[] buffer = _buffer ?? _reuse?.Take() ?? ArrayPool<byte>.Shared.Rent(16);
        _buffer = null;
        return _reuse is null ? new RpcResponseStub(buffer, _length) : new RpcResponseStub(buffer, _length, _reuse);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer is not null)
        {
            Release(_buffer, _length, keep: true);
            _buffer = null;
        }
    }

    // Zeroes the used bytes; a pooled buffer goes back to the pool, the connection's buffer back to the connection
    // (keep) or, when a larger one replaces it, to the GC.
    private void Release(byte[] buffer, int used, bool keep)
    {
        if (_reuse is null)
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
        else if (keep)
        {
            _reuse.Return(buffer, used);
        }
        else
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, used));
        }
    }

    private void Append(ReadOnlySpan<byte> stub)
    {
        if (stub.Length > _maxSize - _length)
        {
            throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"The server's response exceeds the limit of {_maxSize} bytes (RpcConnectionOptions.MaxResponseSize)."));
        }

        int needed = _length + stub.Length;
        if (_buffer is null && _reuse is not null)
        {
            _buffer = _reuse.Take();
        }

        if (_buffer is null || _buffer.Length < needed)
        {
            int capacity = Math.Max(needed, _buffer is null ? InitialCapacity : (int)Math.Min((long)_buffer.Length * 2, _maxSize));
            byte[] grown = _reuse is null ? ArrayPool<byte>.Shared.Rent(capacity) : new byte[capacity];
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, _length).CopyTo(grown);
                Release(_buffer, _length, keep: false);
            }

            _buffer = grown;
        }

        stub.CopyTo(_buffer.AsSpan(_length));
        _length = needed;
    }
}
