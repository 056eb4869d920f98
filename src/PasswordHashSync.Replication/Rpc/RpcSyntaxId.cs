using System.Buffers.Binary;

namespace PasswordHashSync.Replication.Rpc;

/// <summary>
/// A presentation syntax identifier (C706 12.6.3.1 <c>p_syntax_id_t</c>; [idl] <c>ndr_syntax_id</c>): an interface or
/// transfer syntax UUID in NDR order (which is <see cref="Guid.ToByteArray()"/> order) and its version, 20 bytes.
/// </summary>
/// <param name="Uuid">The interface or transfer syntax UUID.</param>
/// <param name="MajorVersion">The major version.</param>
/// <param name="MinorVersion">The minor version.</param>
internal readonly record struct RpcSyntaxId(Guid Uuid, ushort MajorVersion, ushort MinorVersion)
{
    /// <summary>The encoded length.</summary>
    public const int Length = 20;

    /// <summary>NDR 2.0, the only transfer syntax this client offers (C706 14; MS-RPCE 2.2.4.12).</summary>
    public static RpcSyntaxId Ndr20 { get; } = new(new Guid("8a885d04-1ceb-11c9-9fe8-08002b104860"), 2, 0);

    /// <summary>DRSUAPI v4.0 ([idl] <c>drsuapi.idl</c>; MS-DRSR 2.2).</summary>
    public static RpcSyntaxId Drsuapi { get; } = new(new Guid("e3514235-4b06-11d1-ab04-00c04fc2dcd2"), 4, 0);

    /// <summary>The endpoint mapper, EPM v3.0 ([idl] <c>epmapper.idl</c>; C706 appendix O).</summary>
    public static RpcSyntaxId EndpointMapper { get; } = new(new Guid("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);

    /// <summary>Writes the 20 bytes: UUID, then the version as a u32 whose low half is the major version.</summary>
    /// <param name="destination">At least 20 bytes.</param>
    public void Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));
        _ = Uuid.TryWriteBytes(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[16..], MajorVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[18..], MinorVersion);
    }

    /// <summary>Reads 20 bytes.</summary>
    /// <param name="source">At least 20 bytes (the caller checks the length).</param>
    /// <returns>The syntax identifier.</returns>
    public static RpcSyntaxId Read(ReadOnlySpan<byte> source) => new(
        new Guid(source[..16]),
        BinaryPrimitives.ReadUInt16LittleEndian(source[16..]),
        BinaryPrimitives.ReadUInt16LittleEndian(source[18..]));

    /// <inheritdoc />
    public override string ToString() => $"{Uuid} v{MajorVersion}.{MinorVersion}";
}
