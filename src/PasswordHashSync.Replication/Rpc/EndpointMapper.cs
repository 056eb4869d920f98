using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// Asks a server's endpoint mapper (EPM v3.0 on TCP 135) which TCP port serves an interface: an unauthenticated
/// <c>ept_map</c>, opnum 3 (C706 appendix O; [idl] <c>epmapper.idl</c> <c>epm_Map</c>), with a five-floor tower
/// (interface, NDR, connection-oriented RPC, TCP port 0, IP 0.0.0.0) and <c>max_towers = 4</c>, the values impacket
/// sends and that Windows 2003 requires (referent ids 1 and 2).
/// </summary>
internal static class EndpointMapper
{
    /// <summary>The endpoint mapper's TCP port.</summary>
    public const int Port = 135;

    /// <summary>ept_map's opnum.</summary>
    public const ushort MapOpnum = 3;

    /// <summary>EPMAPPER_STATUS_NO_MORE_ENTRIES: the interface is not registered.</summary>
    public const uint NoMoreEntries = 0x16C9A0D6;

    private const int MaxTowers = 4;
    private const byte ProtocolUuid = 0x0D;
    private const byte ProtocolConnectionOriented = 0x0B;
    private const byte ProtocolTcp = 0x07;
    private const byte ProtocolIp = 0x09;
    private const int TowerLength = 75;

    /// <summary>Connects to <paramref name="host"/>:135 without authentication and maps <paramref name="abstractSyntax"/>.</summary>
    /// <param name="host">The DC's name or address.</param>
    /// <param name="abstractSyntax">The interface, for example <see cref="RpcSyntaxId.Drsuapi"/>.</param>
    /// <param name="options">Timeouts and limits, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The TCP port.</returns>
    /// <exception cref="ReplicationException">The interface is not registered, or the server answered with an error status.</exception>
    public static Task<int> MapTcpPortAsync(string host, RpcSyntaxId abstractSyntax, RpcConnectionOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        EndPoint endPoint = IPAddress.TryParse(host, out IPAddress? address) ? new IPEndPoint(address, Port) : new DnsEndPoint(host, Port);
        return MapTcpPortAsync(endPoint, abstractSyntax, options, cancellationToken);
    }

    /// <summary>Connects to the endpoint mapper at <paramref name="endPoint"/> without authentication and maps <paramref name="abstractSyntax"/>.</summary>
    /// <param name="endPoint">The endpoint mapper (normally port 135).</param>
    /// <param name="abstractSyntax">The interface.</param>
    /// <param name="options">Timeouts and limits, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The TCP port.</returns>
    /// <exception cref="ReplicationException">The interface is not registered, or the server answered with an error status.</exception>
    public static async Task<int> MapTcpPortAsync(EndPoint endPoint, RpcSyntaxId abstractSyntax, RpcConnectionOptions? options, CancellationToken cancellationToken)
    {
        RpcConnection connection = await RpcConnection.ConnectAsync(endPoint, RpcSyntaxId.EndpointMapper, null, options, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using RpcResponseStub response = await connection.CallAsync(MapOpnum, BuildMapRequest(abstractSyntax), cancellationToken).ConfigureAwait(false);
            return ParseMapResponse(response.Memory.Span, abstractSyntax);
        }
    }

    /// <summary>The NDR stub of <c>epm_Map</c>'s input: object (unique, the nil GUID), map_tower (twr_t), entry_handle (zeros), max_towers.</summary>
    /// <param name="abstractSyntax">The interface.</param>
    /// <returns>The stub.</returns>
    public static byte[] BuildMapRequest(RpcSyntaxId abstractSyntax)
    {
        // 4 referent + 16 GUID + 4 referent + 4 max_count + 4 tower_length + 75 tower + 1 align + 20 handle + 4 max_towers.
        byte[] stub = new byte[4 + 16 + 4 + 4 + 4 + TowerLength + 1 + 20 + 4];
        Span<byte> s = stub;
        BinaryPrimitives.WriteUInt32LittleEndian(s, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], TowerLength);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], TowerLength);
        WriteTower(s.Slice(32, TowerLength), abstractSyntax);
        BinaryPrimitives.WriteUInt32LittleEndian(s[^4..], MaxTowers);
        return stub;
    }

    /// <summary>
    /// Reads <c>epm_Map</c>'s output (entry_handle, num_towers, the conformant-varying array of tower pointers and
    /// their twr_t pointees, status) and returns the TCP port of the first tower for the interface over ncacn_ip_tcp.
    /// </summary>
    /// <param name="stub">The response stub.</param>
    /// <param name="abstractSyntax">The interface asked for.</param>
    /// <returns>The port.</returns>
    /// <exception cref="RpcProtocolException">The stub is malformed.</exception>
    /// <exception cref="ReplicationException">The status is not OK or no tower names a TCP port.</exception>
    public static int ParseMapResponse(ReadOnlySpan<byte> stub, RpcSyntaxId abstractSyntax)
    {
        var reader = new StubReader(stub);
        reader.Skip(20);
        uint numTowers = reader.ReadUInt32();
        uint maxCount = reader.ReadUInt32();
        uint offset = reader.ReadUInt32();
        uint actualCount = reader.ReadUInt32();
        if (offset != 0 || actualCount != numTowers || actualCount > maxCount || actualCount > (uint)reader.Remaining / 4)
        {
            throw new RpcProtocolException("The endpoint mapper's tower array has inconsistent counts.");
        }

        int nonNull = 0;
        for (uint i = 0; i < actualCount; i++)
        {
            nonNull += reader.ReadUInt32() != 0 ? 1 : 0;
        }

        int? port = null;
        for (int i = 0; i < nonNull; i++)
        {
            uint conformance = reader.ReadUInt32();
            uint length = reader.ReadUInt32();
            if (length != conformance || length > (uint)reader.Remaining)
            {
                throw new RpcProtocolException("An endpoint mapper tower's length does not fit the reply.");
            }

            ReadOnlySpan<byte> tower = reader.Read((int)length);
            reader.Align(4);
            port ??= TryReadTcpPort(tower, abstractSyntax);
        }

        uint status = reader.ReadUInt32();
        if (status == NoMoreEntries)
        {
            throw new ReplicationException($"The endpoint mapper has no ncacn_ip_tcp endpoint for {abstractSyntax} (EPMAPPER_STATUS_NO_MORE_ENTRIES): the server does not offer this interface over TCP (is it a domain controller?).");
        }

        if (status != 0)
        {
            throw new ReplicationException(string.Create(CultureInfo.InvariantCulture, $"The endpoint mapper answered status 0x{status:X8} for {abstractSyntax}."));
        }

        return port ?? throw new ReplicationException($"The endpoint mapper returned no TCP tower for {abstractSyntax}.");
    }

    private static void WriteTower(Span<byte> tower, RpcSyntaxId abstractSyntax)
    {
        // floor_count, then floors of lhs_len, lhs, rhs_len, rhs; little-endian except the TCP and IP rhs ([idl] epm_tower).
        BinaryPrimitives.WriteUInt16LittleEndian(tower, 5);
        int o = 2;
        o = WriteUuidFloor(tower, o, abstractSyntax);
        o = WriteUuidFloor(tower, o, RpcSyntaxId.Ndr20);
        o = WriteFloor(tower, o, ProtocolConnectionOriented, 2);
        o = WriteFloor(tower, o, ProtocolTcp, 2);
        _ = WriteFloor(tower, o, ProtocolIp, 4);
    }

    private static int WriteUuidFloor(Span<byte> tower, int o, RpcSyntaxId syntax)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(tower[o..], 19);
        tower[o + 2] = ProtocolUuid;
        _ = syntax.Uuid.TryWriteBytes(tower[(o + 3)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(tower[(o + 19)..], syntax.MajorVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(tower[(o + 21)..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(tower[(o + 23)..], syntax.MinorVersion);
        return o + 25;
    }

    private static int WriteFloor(Span<byte> tower, int o, byte protocol, int rhsLength)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(tower[o..], 1);
        tower[o + 2] = protocol;
        BinaryPrimitives.WriteUInt16LittleEndian(tower[(o + 3)..], (ushort)rhsLength);
        tower.Slice(o + 5, rhsLength).Clear();
        return o + 5 + rhsLength;
    }

    private static int? TryReadTcpPort(ReadOnlySpan<byte> tower, RpcSyntaxId abstractSyntax)
    {
        var reader = new StubReader(tower);
        int floors = reader.ReadUInt16();
        int? port = null;
        bool interfaceMatches = false;
        bool connectionOriented = false;
        for (int i = 0; i < floors; i++)
        {
            ReadOnlySpan<byte> lhs = reader.Read(reader.ReadUInt16());
            ReadOnlySpan<byte> rhs = reader.Read(reader.ReadUInt16());
            if (lhs.IsEmpty)
            {
                throw new RpcProtocolException("An endpoint mapper tower has an empty floor.");
            }

            if (i == 0)
            {
                interfaceMatches = lhs.Length == 19 && lhs[0] == ProtocolUuid && new Guid(lhs.Slice(1, 16)) == abstractSyntax.Uuid
                    && BinaryPrimitives.ReadUInt16LittleEndian(lhs[17..]) == abstractSyntax.MajorVersion;
            }

            connectionOriented |= lhs[0] == ProtocolConnectionOriented;
            if (lhs[0] == ProtocolTcp && rhs.Length == 2)
            {
                port = BinaryPrimitives.ReadUInt16BigEndian(rhs);
            }
        }

        return interfaceMatches && connectionOriented && port is > 0 ? port : null;
    }
}
