using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// Reads the REPLENTINFLIST chain (MS-DRSR 5.164; IDL <c>drsuapi_DsReplicaObjectListItemEx</c> with ENTINF
/// <c>drsuapi_DsReplicaObject</c>, ATTRBLOCK <c>drsuapi_DsReplicaAttributeCtr</c>, ATTR <c>drsuapi_DsReplicaAttribute</c>,
/// ATTRVAL <c>drsuapi_DsAttributeValue</c>) without recursion.
/// </summary>
/// <remarks>
/// NDR defers each element's pointees and writes the <c>pNextEntInf</c> pointee (the whole rest of the list) before
/// the element's own pName, pAttr, pParentGuid and pMetaDataExt data. So the wire holds the scalars of element 1, 2,
/// …, N, then the own data of N, N−1, …, 1 (reference-drsr.md §10, measured with Samba's NDR). A recursive parser
/// would go one level deep per object; this one reads the scalars in a loop and then the data backwards.
/// </remarks>
internal static class ReplicaObjectList
{
    /// <summary>The IDL's <c>[range(0,1048576)]</c> on ATTRBLOCK.attrCount.</summary>
    public const uint MaxAttributes = 1048576;

    /// <summary>The IDL's <c>[range(0,10485760)]</c> on ATTRVALBLOCK.valCount.</summary>
    public const uint MaxValues = 10485760;

    /// <summary>The IDL's <c>[range(0,26214400)]</c> on ATTRVAL.valLen.</summary>
    public const uint MaxValueLength = 26214400;

    private const int ElementScalarSize = 32;

    /// <summary>Reads the list that a non-null <c>pObjects</c> points to.</summary>
    /// <param name="reader">The reader, at the first element.</param>
    /// <returns>The objects in list order.</returns>
    public static List<ReplicaObject> Read(ref NdrReader reader)
    {
        const string What = "REPLENTINFLIST";
        var scalars = new List<Scalars>();
        bool next = true;
        while (next)
        {
            // Each element's scalars take 32 bytes, so the list cannot hold more elements than the stub pays for.
            reader.CheckCount(1, What, ElementScalarSize, 1);
            next = reader.ReadPointer("REPLENTINFLIST.pNextEntInf");
            bool hasName = reader.ReadPointer("ENTINF.pName");
            uint flags = reader.ReadUInt32("ENTINF.ulFlags");
            uint attrCount = reader.ReadUInt32("ATTRBLOCK.attrCount");
            if (attrCount > MaxAttributes)
            {
                throw reader.Malformed("ATTRBLOCK.attrCount", "is above the IDL maximum");
            }

            bool hasAttributes = reader.ReadPointer("ATTRBLOCK.pAttr");
            bool isNcPrefix = reader.ReadUInt32("REPLENTINFLIST.fIsNCPrefix") != 0;
            bool hasParent = reader.ReadPointer("REPLENTINFLIST.pParentGuid");
            bool hasMetaData = reader.ReadPointer("REPLENTINFLIST.pMetaDataExt");
            scalars.Add(new Scalars(hasName, flags, attrCount, hasAttributes, isNcPrefix, hasParent, hasMetaData));
        }

        var objects = new ReplicaObject[scalars.Count];
        for (int i = scalars.Count - 1; i >= 0; i--)
        {
            Scalars s = scalars[i];
            DsName? name = s.HasName ? DsName.Read(ref reader, "ENTINF.pName") : null;
            ReplicaAttribute[] attributes = s.HasAttributes ? ReadAttributes(ref reader, s.AttrCount) : [];
            Guid? parent = s.HasParent ? reader.ReadGuid("REPLENTINFLIST.pParentGuid") : null;
            PropertyMetaData[] metaData = s.HasMetaData ? PropertyMetaData.ReadVector(ref reader) : [];
            objects[i] = new ReplicaObject(name, s.Flags, attributes, s.IsNcPrefix, parent, metaData);
        }

        return [.. objects];
    }

    private static ReplicaAttribute[] ReadAttributes(ref NdrReader reader, uint attrCount)
    {
        const string What = "ATTRBLOCK.pAttr";
        uint conformance = reader.ReadUInt32(What);
        if (conformance != attrCount)
        {
            throw reader.Malformed(What, "has an array size that does not match attrCount");
        }

        reader.CheckCount(attrCount, What, 12, MaxAttributes);
        var types = new uint[attrCount];
        var valueCounts = new uint[attrCount];
        var hasValues = new bool[attrCount];
        for (int i = 0; i < types.Length; i++)
        {
            types[i] = reader.ReadUInt32("ATTR.attrTyp");
            valueCounts[i] = reader.ReadUInt32("ATTRVALBLOCK.valCount");
            if (valueCounts[i] > MaxValues)
            {
                throw reader.Malformed("ATTRVALBLOCK.valCount", "is above the IDL maximum");
            }

            hasValues[i] = reader.ReadPointer("ATTRVALBLOCK.pAVal");
        }

        var attributes = new ReplicaAttribute[attrCount];
        for (int i = 0; i < attributes.Length; i++)
        {
            ReadOnlyMemory<byte>[] values = hasValues[i] ? ReadValues(ref reader, valueCounts[i]) : [];
            attributes[i] = new ReplicaAttribute(types[i], values);
        }

        return attributes;
    }

    private static ReadOnlyMemory<byte>[] ReadValues(ref NdrReader reader, uint valueCount)
    {
        const string What = "ATTRVALBLOCK.pAVal";
        uint conformance = reader.ReadUInt32(What);
        if (conformance != valueCount)
        {
            throw reader.Malformed(What, "has an array size that does not match valCount");
        }

        reader.CheckCount(valueCount, What, 8, MaxValues);
        var lengths = new uint[valueCount];
        var present = new bool[valueCount];
        for (int i = 0; i < lengths.Length; i++)
        {
            lengths[i] = reader.ReadUInt32("ATTRVAL.valLen");
            if (lengths[i] > MaxValueLength)
            {
                throw reader.Malformed("ATTRVAL.valLen", "is above the IDL maximum");
            }

            present[i] = reader.ReadPointer("ATTRVAL.pVal");
        }

        var values = new ReadOnlyMemory<byte>[valueCount];
        for (int i = 0; i < values.Length; i++)
        {
            if (!present[i])
            {
                continue;
            }

            uint length = reader.ReadUInt32("ATTRVAL.pVal");
            if (length != lengths[i])
            {
                throw reader.Malformed("ATTRVAL.pVal", "has an array size that does not match valLen");
            }

            values[i] = reader.ReadMemory((int)length, "ATTRVAL.pVal");
        }

        return values;
    }

    private readonly record struct Scalars(bool HasName, uint Flags, uint AttrCount, bool HasAttributes, bool IsNcPrefix, bool HasParent, bool HasMetaData);
}
