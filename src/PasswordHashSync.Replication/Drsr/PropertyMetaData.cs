using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// PROPERTY_META_DATA_EXT (MS-DRSR 5.162; IDL <c>drsuapi_DsReplicaMetaData</c>): the replication metadata of one
/// attribute; entry i of an object's PROPERTY_META_DATA_EXT_VECTOR belongs to attribute i of its ATTRBLOCK.
/// </summary>
/// <param name="Version">dwVersion: how many times the attribute was changed.</param>
/// <param name="TimeChanged">timeChanged (DSTIME: seconds since 1601-01-01 UTC).</param>
/// <param name="OriginatingInvocationId">uuidDsaOriginating.</param>
/// <param name="OriginatingUsn">usnOriginating.</param>
internal readonly record struct PropertyMetaData(uint Version, long TimeChanged, Guid OriginatingInvocationId, long OriginatingUsn)
{
    /// <summary>The IDL's <c>[range(0,1048576)]</c> on the entry count.</summary>
    public const uint MaxEntries = 1048576;

    private const long DsTimeUnixEpochSeconds = 11644473600;

    /// <summary>The change time as a <see cref="DateTimeOffset"/>, or <see langword="null"/> when out of range.</summary>
    public DateTimeOffset? TimeChangedUtc =>
        TimeChanged <= 0 || TimeChanged - DsTimeUnixEpochSeconds > 253402300799 || TimeChanged - DsTimeUnixEpochSeconds < -62135596800
            ? null
            : DateTimeOffset.FromUnixTimeSeconds(TimeChanged - DsTimeUnixEpochSeconds);

    /// <summary>Reads a PROPERTY_META_DATA_EXT_VECTOR pointee (IDL <c>drsuapi_DsReplicaMetaDataCtr</c>).</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The entries.</returns>
    public static PropertyMetaData[] ReadVector(ref NdrReader reader)
    {
        const string What = "pMetaDataExt";
        uint conformance = reader.ReadUInt32(What);
        reader.Align(8, What);
        uint count = reader.ReadUInt32(What);
        if (count != conformance)
        {
            throw reader.Malformed(What, "has a cNumProps that does not match its array size");
        }

        reader.CheckCount(count, What, 36, MaxEntries);
        var entries = new PropertyMetaData[count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = Read(ref reader, What);
        }

        return entries;
    }

    /// <summary>Reads one entry (8-aligned: version, time, invocationId, USN).</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="what">The field, for error messages.</param>
    /// <returns>The entry.</returns>
    public static PropertyMetaData Read(ref NdrReader reader, string what)
    {
        reader.Align(8, what);
        uint version = reader.ReadUInt32(what);
        long time = reader.ReadInt64(what);
        Guid invocationId = reader.ReadGuid(what);
        long usn = reader.ReadInt64(what);
        return new PropertyMetaData(version, time, invocationId, usn);
    }
}
