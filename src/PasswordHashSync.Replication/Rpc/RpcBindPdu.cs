using System.Buffers.Binary;
using System.Globalization;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// bind and alter_context (C706 12.6.4.3 and 12.6.4.1; [idl] <c>dcerpc_bind</c>): after the header, max_xmit_frag u16,
/// max_recv_frag u16, assoc_group_id u32, n_context_elem u8 and 3 reserved bytes, the context elements, then (when
/// authenticated) the sec_trailer and auth_value. The body is a multiple of 4, so the auth pad is always 0, which
/// Samba requires exactly (<c>dcerpc_pull_auth_trailer</c>: "auth_data_only pad length mismatch").
/// </summary>
/// <param name="MaxTransmitFragment">max_xmit_frag.</param>
/// <param name="MaxReceiveFragment">max_recv_frag.</param>
/// <param name="AssociationGroupId">assoc_group_id (0 asks for a new group).</param>
/// <param name="Contexts">The presentation contexts (the reader keeps the first transfer syntax of each).</param>
internal sealed record RpcBindPdu(ushort MaxTransmitFragment, ushort MaxReceiveFragment, uint AssociationGroupId, IReadOnlyList<RpcContextElement> Contexts)
{
    /// <summary>The fixed body between the header and the first context element.</summary>
    public const int FixedBodyLength = 12;

    /// <summary>The fragment length of a bind with <paramref name="contextCount"/> contexts and an auth_value of <paramref name="authLength"/> bytes (0: none).</summary>
    /// <param name="contextCount">How many context elements.</param>
    /// <param name="authLength">The auth_value length, or 0 for an unauthenticated bind.</param>
    /// <returns>The length in bytes.</returns>
    public static int GetLength(int contextCount, int authLength) =>
        RpcPduHeader.Length + FixedBodyLength + (contextCount * RpcContextElement.Length) + (authLength > 0 ? RpcSecurityTrailer.Length + authLength : 0);

    /// <summary>Writes a whole bind or alter_context fragment.</summary>
    /// <param name="destination">The buffer, at least <see cref="GetLength"/> bytes.</param>
    /// <param name="packetType"><see cref="RpcPacketType.Bind"/> or <see cref="RpcPacketType.AlterContext"/>.</param>
    /// <param name="callId">The call_id.</param>
    /// <param name="trailer">The sec_trailer, or <see langword="null"/> for an unauthenticated bind.</param>
    /// <param name="authValue">The security token (empty when <paramref name="trailer"/> is null).</param>
    /// <returns>The bytes written.</returns>
    public int Write(Span<byte> destination, RpcPacketType packetType, uint callId, RpcSecurityTrailer? trailer, ReadOnlySpan<byte> authValue)
    {
        if (packetType is not (RpcPacketType.Bind or RpcPacketType.AlterContext))
        {
            throw new ArgumentOutOfRangeException(nameof(packetType));
        }

        int authLength = trailer is null ? 0 : authValue.Length;
        int length = GetLength(Contexts.Count, authLength);
        if (length > ushort.MaxValue || Contexts.Count > byte.MaxValue || (trailer is not null && authValue.IsEmpty))
        {
            throw new ArgumentException("The bind does not fit one fragment, or an auth trailer has no token.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, length, nameof(destination));
        new RpcPduHeader(packetType, RpcPacketFlags.FirstAndLast, (ushort)length, (ushort)authLength, callId).Write(destination);
        Span<byte> body = destination[RpcPduHeader.Length..length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, MaxTransmitFragment);
        BinaryPrimitives.WriteUInt16LittleEndian(body[2..], MaxReceiveFragment);
        BinaryPrimitives.WriteUInt32LittleEndian(body[4..], AssociationGroupId);
        body[8] = (byte)Contexts.Count;
        body[9..12].Clear();
        int offset = FixedBodyLength;
        foreach (RpcContextElement context in Contexts)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(body[offset..], context.ContextId);
            body[offset + 2] = 1;
            body[offset + 3] = 0;
            context.AbstractSyntax.Write(body[(offset + 4)..]);
            context.TransferSyntax.Write(body[(offset + 4 + RpcSyntaxId.Length)..]);
            offset += RpcContextElement.Length;
        }

        if (trailer is { } t)
        {
            (t with { AuthPadLength = 0 }).Write(body[offset..]);
            authValue.CopyTo(body[(offset + RpcSecurityTrailer.Length)..]);
        }

        return length;
    }

    /// <summary>Reads a bind or alter_context fragment (what a server does; used by the tests' fake server).</summary>
    /// <param name="fragment">The whole fragment.</param>
    /// <param name="authValue">The auth_value, or empty.</param>
    /// <returns>The body.</returns>
    /// <exception cref="RpcProtocolException">The fragment is malformed.</exception>
    public static RpcBindPdu Read(ReadOnlySpan<byte> fragment, out byte[] authValue)
    {
        RpcPduHeader header = RpcPduHeader.Read(fragment);
        if (header.PacketType is not (RpcPacketType.Bind or RpcPacketType.AlterContext) || header.FragmentLength > fragment.Length)
        {
            throw new RpcProtocolException("The fragment is not a whole bind or alter_context.");
        }

        int end = header.AuthLength > 0
            ? header.FragmentLength - header.AuthLength - RpcSecurityTrailer.Length
            : header.FragmentLength;
        if (end < RpcPduHeader.Length + FixedBodyLength)
        {
            throw new RpcProtocolException("A bind is shorter than its fixed body.");
        }

        ReadOnlySpan<byte> body = fragment[RpcPduHeader.Length..end];
        int count = body[8];
        var contexts = new List<RpcContextElement>(count);
        int offset = FixedBodyLength;
        for (int i = 0; i < count; i++)
        {
            if (body.Length - offset < 4)
            {
                throw new RpcProtocolException("A bind context element is truncated.");
            }

            int transferCount = body[offset + 2];
            int elementLength = 4 + RpcSyntaxId.Length + (transferCount * RpcSyntaxId.Length);
            if (transferCount == 0 || body.Length - offset < elementLength)
            {
                throw new RpcProtocolException(string.Create(CultureInfo.InvariantCulture,
                    $"A bind context element with {transferCount} transfer syntaxes does not fit the PDU."));
            }

            contexts.Add(new RpcContextElement(
                BinaryPrimitives.ReadUInt16LittleEndian(body[offset..]),
                RpcSyntaxId.Read(body[(offset + 4)..]),
                RpcSyntaxId.Read(body[(offset + 4 + RpcSyntaxId.Length)..])));
            offset += elementLength;
        }

        authValue = header.AuthLength > 0
            ? fragment.Slice(header.FragmentLength - header.AuthLength, header.AuthLength).ToArray()
            : [];
        return new RpcBindPdu(
            BinaryPrimitives.ReadUInt16LittleEndian(body),
            BinaryPrimitives.ReadUInt16LittleEndian(body[2..]),
            BinaryPrimitives.ReadUInt32LittleEndian(body[4..]),
            contexts);
    }
}
