using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// IDL_DRSCrackNames (opnum 12; MS-DRSR 4.1.4; IDL <c>drsuapi_DsCrackNames</c>) with request V1
/// (<c>drsuapi_DsNameRequest1</c>) and reply V1 (<c>drsuapi_DsNameCtr1</c>, a pointer arm in Samba's IDL).
/// </summary>
internal static class CrackNamesCall
{
    /// <summary>The opnum.</summary>
    public const ushort Opnum = 12;

    /// <summary>The IDL's <c>[range(1,10000)]</c> on the name count.</summary>
    public const int MaxNames = 10000;

    /// <summary>Writes the request stub.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="handle">The DRS handle.</param>
    /// <param name="formatOffered">formatOffered (DS_NAME_FORMAT).</param>
    /// <param name="formatDesired">formatDesired.</param>
    /// <param name="names">rpNames (1 to 10000).</param>
    public static void WriteRequest(NdrWriter writer, DrsHandle handle, DsNameFormat formatOffered, DsNameFormat formatDesired, IReadOnlyList<string> names)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(names.Count, 1, nameof(names));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(names.Count, MaxNames, nameof(names));
        handle.Write(writer);
        writer.WriteUInt32(1);                           // dwInVersion
        writer.WriteUInt32(1);                           // union discriminant
        writer.WriteUInt32(0);                           // CodePage
        writer.WriteUInt32(0);                           // LocaleId
        writer.WriteUInt32(0);                           // dwFlags
        writer.WriteUInt32((uint)formatOffered);
        writer.WriteUInt32((uint)formatDesired);
        writer.WriteUInt32((uint)names.Count);
        writer.WriteUniquePointer(true);                 // rpNames
        writer.WriteUInt32((uint)names.Count);           // conformance
        foreach (string name in names)
        {
            writer.WriteUniquePointer(name is not null);
        }

        foreach (string name in names)
        {
            if (name is not null)
            {
                writer.WriteConformantVaryingString(name);
            }
        }
    }

    /// <summary>Reads the response stub.</summary>
    /// <param name="stub">The stub.</param>
    /// <returns>The results (one per name) and the WERROR.</returns>
    public static (CrackedName[] Results, int Result) ReadResponse(ReadOnlyMemory<byte> stub)
    {
        var reader = new NdrReader(stub);
        uint levelOut = reader.ReadUInt32("pdwOutVersion");
        uint arm = reader.ReadUInt32("pmsgOut discriminant");
        if (levelOut != 1 || arm != 1)
        {
            throw reader.Malformed("pdwOutVersion", "is not 1, the only reply version of IDL_DRSCrackNames");
        }

        CrackedName[] results = [];
        if (reader.ReadPointer("pmsgOut.V1.pResult"))
        {
            uint count = reader.ReadUInt32("DS_NAME_RESULTW.cItems");
            bool hasItems = reader.ReadPointer("DS_NAME_RESULTW.rItems");
            if (hasItems)
            {
                uint conformance = reader.ReadUInt32("DS_NAME_RESULTW.rItems");
                if (conformance != count)
                {
                    throw reader.Malformed("DS_NAME_RESULTW.rItems", "has an array size that does not match cItems");
                }

                reader.CheckCount(count, "DS_NAME_RESULTW.cItems", 12, MaxNames);
                var status = new uint[count];
                var hasDomain = new bool[count];
                var hasName = new bool[count];
                for (int i = 0; i < status.Length; i++)
                {
                    status[i] = reader.ReadUInt32("DS_NAME_RESULT_ITEMW.status");
                    hasDomain[i] = reader.ReadPointer("DS_NAME_RESULT_ITEMW.pDomain");
                    hasName[i] = reader.ReadPointer("DS_NAME_RESULT_ITEMW.pName");
                }

                results = new CrackedName[count];
                for (int i = 0; i < results.Length; i++)
                {
                    string? domain = hasDomain[i] ? reader.ReadConformantVaryingString("DS_NAME_RESULT_ITEMW.pDomain") : null;
                    string? name = hasName[i] ? reader.ReadConformantVaryingString("DS_NAME_RESULT_ITEMW.pName") : null;
                    results[i] = new CrackedName((DsNameStatus)status[i], domain, name);
                }
            }
        }

        int result = reader.ReadInt32("IDL_DRSCrackNames return value");
        reader.ExpectEnd("IDL_DRSCrackNames response");
        return (results, result);
    }
}
