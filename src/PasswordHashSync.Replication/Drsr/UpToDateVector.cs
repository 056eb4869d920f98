using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// UPTODATE_VECTOR_V1_EXT (request; IDL <c>drsuapi_DsReplicaCursorCtrEx</c>, 24-byte cursors) and
/// UPTODATE_VECTOR_V2_EXT (reply; IDL <c>drsuapi_DsReplicaCursor2CtrEx</c>, 32-byte cursors). Both are conformant
/// structs: max_count, then (8-aligned) dwVersion, dwReserved1, cNumCursors, dwReserved2 and the cursors.
/// </summary>
internal static class UpToDateVector
{
    /// <summary>The IDL's <c>[range(0,0x100000)]</c> on the cursor count.</summary>
    public const uint MaxCursors = 0x100000;

    /// <summary>Writes an UPTODATE_VECTOR_V1_EXT pointee.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="cursors">The cursors (their times are not sent).</param>
    public static void WriteV1(NdrWriter writer, IReadOnlyList<UpToDateCursor> cursors)
    {
        uint count = (uint)cursors.Count;
        writer.WriteUInt32(count);      // conformance
        writer.Align(8);
        writer.WriteUInt32(1);          // version
        writer.WriteUInt32(0);          // reserved1
        writer.WriteUInt32(count);
        writer.WriteUInt32(0);          // reserved2
        foreach (UpToDateCursor cursor in cursors)
        {
            writer.Align(8);
            writer.WriteGuid(cursor.InvocationId);
            writer.WriteInt64(cursor.HighestUsn);
        }
    }

    /// <summary>Reads an UPTODATE_VECTOR_V1_EXT pointee (reply V1).</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The cursors.</returns>
    public static UpToDateCursor[] ReadV1(ref NdrReader reader) => Read(ref reader, 1, 24);

    /// <summary>Reads an UPTODATE_VECTOR_V2_EXT pointee (reply V6).</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The cursors.</returns>
    public static UpToDateCursor[] ReadV2(ref NdrReader reader) => Read(ref reader, 2, 32);

    private static UpToDateCursor[] Read(ref NdrReader reader, uint expectedVersion, int cursorSize)
    {
        const string What = "pUpToDateVecSrc";
        uint conformance = reader.ReadUInt32(What);
        reader.Align(8, What);
        uint version = reader.ReadUInt32(What);
        reader.ReadUInt32(What);
        uint count = reader.ReadUInt32(What);
        reader.ReadUInt32(What);
        if (version != expectedVersion)
        {
            throw reader.Malformed(What, $"has dwVersion {version}, expected {expectedVersion}");
        }

        if (count != conformance)
        {
            throw reader.Malformed(What, "has a cNumCursors that does not match its array size");
        }

        reader.CheckCount(count, What, cursorSize, MaxCursors);
        var cursors = new UpToDateCursor[count];
        for (int i = 0; i < cursors.Length; i++)
        {
            reader.Align(8, What);
            Guid invocationId = reader.ReadGuid(What);
            long usn = reader.ReadInt64(What);
            long time = cursorSize == 32 ? reader.ReadInt64(What) : 0;
            cursors[i] = new UpToDateCursor(invocationId, usn, time);
        }

        return cursors;
    }
}
