using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// IDL_DRSDomainControllerInfo (opnum 16; MS-DRSR 4.1.5; IDL <c>drsuapi_DsGetDomainControllerInfo</c>) with request V1
/// (<c>drsuapi_DsGetDCInfoRequest1</c>, InfoLevel 2) and reply V2 (<c>drsuapi_DsGetDCInfoCtr2</c>).
/// </summary>
internal static class DomainControllerInfoCall
{
    /// <summary>The opnum.</summary>
    public const ushort Opnum = 16;

    /// <summary>The IDL's <c>[range(0,10000)]</c> on the DC count.</summary>
    public const uint MaxControllers = 10000;

    private const int StringCount = 7;

    /// <summary>Writes the request stub.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="handle">The DRS handle.</param>
    /// <param name="domain">Domain (NetBIOS or DNS name).</param>
    public static void WriteRequest(NdrWriter writer, DrsHandle handle, string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        handle.Write(writer);
        writer.WriteUInt32(1);                  // dwInVersion
        writer.WriteUInt32(1);                  // union discriminant
        writer.WriteUniquePointer(true);        // Domain
        writer.WriteUInt32(2);                  // InfoLevel
        writer.WriteConformantVaryingString(domain);
    }

    /// <summary>Reads the response stub.</summary>
    /// <param name="stub">The stub.</param>
    /// <returns>The DCs and the WERROR.</returns>
    public static (DomainControllerInfo[] Controllers, int Result) ReadResponse(ReadOnlyMemory<byte> stub)
    {
        const string What = "DS_DOMAIN_CONTROLLER_INFO_2W";
        var reader = new NdrReader(stub);
        uint levelOut = reader.ReadUInt32("pdwOutVersion");
        uint arm = reader.ReadUInt32("pmsgOut discriminant");
        if (levelOut != 2 || arm != 2)
        {
            // A DC that fails the call answers with the level it was asked for and a WERROR; accept level 1/3 only then.
            throw reader.Malformed("pdwOutVersion", $"is {levelOut}, not the requested InfoLevel 2");
        }

        uint count = reader.ReadUInt32("cItems");
        DomainControllerInfo[] controllers = [];
        if (reader.ReadPointer("rItems"))
        {
            uint conformance = reader.ReadUInt32("rItems");
            if (conformance != count)
            {
                throw reader.Malformed("rItems", "has an array size that does not match cItems");
            }

            reader.CheckCount(count, What, 104, MaxControllers);
            var present = new bool[count, StringCount];
            var flags = new uint[count, 3];
            var guids = new Guid[count, 4];
            for (int i = 0; i < count; i++)
            {
                for (int s = 0; s < StringCount; s++)
                {
                    present[i, s] = reader.ReadPointer(What);
                }

                for (int f = 0; f < 3; f++)
                {
                    flags[i, f] = reader.ReadUInt32(What);
                }

                for (int g = 0; g < 4; g++)
                {
                    guids[i, g] = reader.ReadGuid(What);
                }
            }

            controllers = new DomainControllerInfo[count];
            var strings = new string?[StringCount];
            for (int i = 0; i < count; i++)
            {
                for (int s = 0; s < StringCount; s++)
                {
                    strings[s] = present[i, s] ? reader.ReadConformantVaryingString(What) : null;
                }

                controllers[i] = new DomainControllerInfo(
                    strings[0], strings[1], strings[2], strings[3], strings[4], strings[5], strings[6],
                    flags[i, 0] != 0, flags[i, 1] != 0, flags[i, 2] != 0,
                    guids[i, 0], guids[i, 1], guids[i, 2], guids[i, 3]);
            }
        }

        int result = reader.ReadInt32("IDL_DRSDomainControllerInfo return value");
        reader.ExpectEnd("IDL_DRSDomainControllerInfo response");
        return (controllers, result);
    }
}
