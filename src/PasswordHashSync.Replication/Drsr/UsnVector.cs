using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// USN_VECTOR (MS-DRSR 5.212; IDL <c>drsuapi_DsReplicaHighWaterMark</c>): the replication high-water mark, three
/// 8-byte-aligned hypers.
/// </summary>
/// <param name="HighObjectUpdate">usnHighObjUpdate (<c>tmp_highest_usn</c>).</param>
/// <param name="Reserved">usnReserved.</param>
/// <param name="HighPropertyUpdate">usnHighPropUpdate (<c>highest_usn</c>).</param>
internal readonly record struct UsnVector(long HighObjectUpdate, long Reserved, long HighPropertyUpdate)
{
    /// <summary>Writes the vector.</summary>
    /// <param name="writer">The writer.</param>
    public void Write(NdrWriter writer)
    {
        writer.WriteInt64(HighObjectUpdate);
        writer.WriteInt64(Reserved);
        writer.WriteInt64(HighPropertyUpdate);
    }

    /// <summary>Reads a vector.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="what">The field, for error messages.</param>
    /// <returns>The vector.</returns>
    public static UsnVector Read(ref NdrReader reader, string what) =>
        new(reader.ReadInt64(what), reader.ReadInt64(what), reader.ReadInt64(what));
}
