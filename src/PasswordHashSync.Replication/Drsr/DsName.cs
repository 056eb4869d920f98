using System.Buffers.Binary;
using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// DSNAME (MS-DRSR 5.50; IDL <c>drsuapi_DsReplicaObjectIdentifier</c>): an object named by GUID, SID and/or DN.
/// On the wire a conformant struct: max_count (NameLen+1) first, then structLen, SidLen, Guid, a 28-byte
/// zero-filled <c>dom_sid28</c>, NameLen and the UTF-16 name with its NUL.
/// </summary>
internal sealed class DsName
{
    /// <summary>The size of the <c>dom_sid28</c> field.</summary>
    public const int SidFieldSize = 28;

    private const int MinWireSize = 4 + 4 + 4 + 16 + SidFieldSize + 4 + 2;

    /// <summary>Creates a name.</summary>
    /// <param name="guid">The objectGUID, or <see cref="Guid.Empty"/>.</param>
    /// <param name="sid">The binary SID (at most 28 bytes), or empty.</param>
    /// <param name="distinguishedName">The DN, or an empty string.</param>
    public DsName(Guid guid, ReadOnlyMemory<byte> sid, string distinguishedName)
    {
        ArgumentNullException.ThrowIfNull(distinguishedName);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sid.Length, SidFieldSize, nameof(sid));
        Guid = guid;
        Sid = sid;
        DistinguishedName = distinguishedName;
    }

    /// <summary>The objectGUID, or <see cref="Guid.Empty"/> when the name does not carry one.</summary>
    public Guid Guid { get; }

    /// <summary>The binary objectSid (<c>SidLen</c> bytes), or empty.</summary>
    public ReadOnlyMemory<byte> Sid { get; }

    /// <summary>The distinguished name, or an empty string.</summary>
    public string DistinguishedName { get; }

    /// <summary>A name by DN only.</summary>
    /// <param name="distinguishedName">The DN.</param>
    /// <returns>The name.</returns>
    public static DsName FromDistinguishedName(string distinguishedName) => new(Guid.Empty, ReadOnlyMemory<byte>.Empty, distinguishedName);

    /// <summary>A name by GUID only (the form impacket and DSInternals use for EXOP_REPL_OBJ).</summary>
    /// <param name="guid">The objectGUID.</param>
    /// <returns>The name.</returns>
    public static DsName FromGuid(Guid guid) => new(guid, ReadOnlyMemory<byte>.Empty, string.Empty);

    /// <summary>Writes the DSNAME (the pointee of a DSNAME pointer).</summary>
    /// <param name="writer">The writer.</param>
    public void Write(NdrWriter writer)
    {
        int nameLength = DistinguishedName.Length;
        writer.WriteUInt32(checked((uint)nameLength + 1));                      // conformance: size_is(__ndr_size_dn+1)
        writer.WriteUInt32(checked((uint)(56 + (2 * (nameLength + 1)))));       // structLen = ndr_size - 4
        writer.WriteUInt32((uint)Sid.Length);                                     // SidLen (ndr_size_dom_sid28)
        writer.WriteGuid(Guid);
        Span<byte> sid = stackalloc byte[SidFieldSize];
        sid.Clear();
        Sid.Span.CopyTo(sid);
        writer.WriteBytes(sid);
        writer.WriteUInt32((uint)nameLength);                                     // NameLen, no NUL
        writer.WriteUtf16(DistinguishedName);
        writer.WriteUInt16(0);
    }

    /// <summary>Reads a DSNAME pointee.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="what">The field, for error messages.</param>
    /// <returns>The name.</returns>
    public static DsName Read(ref NdrReader reader, string what)
    {
        int maxCount = reader.ReadCount(what, 2, int.MaxValue / 2);
        if (reader.Remaining < MinWireSize - 4)
        {
            throw reader.Malformed(what, "is shorter than a DSNAME");
        }

        reader.ReadUInt32(what);                                                  // structLen: informative only
        uint sidLength = reader.ReadUInt32(what);
        Guid guid = reader.ReadGuid(what);
        ReadOnlySpan<byte> sidField = reader.ReadBytes(SidFieldSize, what);
        uint nameLength = reader.ReadUInt32(what);
        if (sidLength > SidFieldSize)
        {
            throw reader.Malformed(what, "has a SidLen above 28");
        }

        if ((ulong)nameLength + 1 != (ulong)maxCount)
        {
            throw reader.Malformed(what, "has a NameLen that does not match its array size");
        }

        ReadOnlySpan<byte> chars = reader.ReadBytes(maxCount * 2, what);
        string name = System.Text.Encoding.Unicode.GetString(chars[..^2]);
        byte[] sid = sidField[..(int)sidLength].ToArray();
        return new DsName(guid, sid, name);
    }

    /// <summary>The RID of a binary SID: its last sub-authority, or <see langword="null"/> when the SID has none.</summary>
    /// <param name="sid">The binary SID (revision, count, 6-byte authority, count × uint32 LE).</param>
    /// <returns>The RID.</returns>
    public static uint? RidOf(ReadOnlySpan<byte> sid)
    {
        if (sid.Length < 8)
        {
            return null;
        }

        int count = sid[1];
        if (count == 0 || sid.Length < 8 + (4 * count))
        {
            return null;
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(sid.Slice(8 + (4 * (count - 1)), 4));
    }

    /// <inheritdoc />
    public override string ToString() => DistinguishedName.Length > 0 ? DistinguishedName : Guid.ToString();
}
