using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// REPLVALINF_V1 (MS-DRSR 5.166; IDL <c>drsuapi_DsReplicaLinkedAttribute</c>): a linked value (group member and the
/// like). Password hash sync does not use them, so the array is parsed for well-formedness and skipped.
/// </summary>
internal static class ReplicaLinkedValue
{
    /// <summary>The IDL's <c>[range(0,1048576)]</c> on cNumValues.</summary>
    public const uint MaxValues = 1048576;

    // identifier ptr, attid, valLen, pVal, flags (20) + pad to 8 + timeCreated (8) + PROPERTY_META_DATA_EXT (40).
    private const int MinElementSize = 68;

    /// <summary>Reads and discards the pointee of <c>rgValues</c>.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="count">cNumValues.</param>
    public static void Skip(ref NdrReader reader, uint count)
    {
        const string What = "rgValues";
        uint conformance = reader.ReadUInt32(What);
        if (conformance != count)
        {
            throw reader.Malformed(What, "has an array size that does not match cNumValues");
        }

        reader.CheckCount(count, What, MinElementSize, MaxValues);
        var hasObject = new bool[count];
        var lengths = new uint[count];
        var hasValue = new bool[count];
        for (int i = 0; i < hasObject.Length; i++)
        {
            reader.Align(8, What);
            hasObject[i] = reader.ReadPointer("REPLVALINF.pObject");
            reader.ReadUInt32("REPLVALINF.attrTyp");
            lengths[i] = reader.ReadUInt32("REPLVALINF.Aval.valLen");
            if (lengths[i] > ReplicaObjectList.MaxValueLength)
            {
                throw reader.Malformed("REPLVALINF.Aval.valLen", "is above the IDL maximum");
            }

            hasValue[i] = reader.ReadPointer("REPLVALINF.Aval.pVal");
            reader.ReadUInt32("REPLVALINF.fIsPresent");
            reader.ReadInt64("REPLVALINF.timeCreated");
            PropertyMetaData.Read(ref reader, "REPLVALINF.MetaData");
        }

        for (int i = 0; i < hasObject.Length; i++)
        {
            if (hasObject[i])
            {
                DsName.Read(ref reader, "REPLVALINF.pObject");
            }

            if (hasValue[i])
            {
                uint length = reader.ReadUInt32("REPLVALINF.Aval.pVal");
                if (length != lengths[i])
                {
                    throw reader.Malformed("REPLVALINF.Aval.pVal", "has an array size that does not match valLen");
                }

                reader.Skip((int)length, "REPLVALINF.Aval.pVal");
            }
        }
    }
}
