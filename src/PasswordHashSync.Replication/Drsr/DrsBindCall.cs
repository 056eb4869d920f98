using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// IDL_DRSBind (opnum 0; MS-DRSR 4.1.3; IDL <c>drsuapi_DsBind</c>): in <c>[unique] GUID *puuidClientDsa</c>,
/// <c>[unique] DRS_EXTENSIONS *pextClient</c>; out <c>ppextServer</c>, <c>phDrs</c>, WERROR.
/// </summary>
internal static class DrsBindCall
{
    /// <summary>The opnum.</summary>
    public const ushort Opnum = 0;

    /// <summary>NTDSAPI_CLIENT_GUID (IDL <c>DRSUAPI_DS_BIND_GUID</c>).</summary>
    public static readonly Guid NtdsapiClientGuid = new("e24d201a-4fd6-11d1-a3da-0000f875ae0d");

    /// <summary>Writes the request stub.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="clientDsa">puuidClientDsa.</param>
    /// <param name="extensions">pextClient.</param>
    public static void WriteRequest(NdrWriter writer, Guid clientDsa, DrsExtensions extensions)
    {
        writer.WriteUniquePointer(true);
        writer.WriteGuid(clientDsa);
        writer.WriteUniquePointer(true);
        extensions.Write(writer);
    }

    /// <summary>Reads the response stub.</summary>
    /// <param name="stub">The stub.</param>
    /// <returns>The server's extensions (zeros when it sent none), the handle and the WERROR.</returns>
    public static (DrsExtensions Server, DrsHandle Handle, int Result) ReadResponse(ReadOnlyMemory<byte> stub)
    {
        var reader = new NdrReader(stub);
        DrsExtensions server = default;
        if (reader.ReadPointer("ppextServer"))
        {
            server = DrsExtensions.Read(ref reader);
        }

        DrsHandle handle = DrsHandle.Read(ref reader);
        int result = reader.ReadInt32("IDL_DRSBind return value");
        reader.ExpectEnd("IDL_DRSBind response");
        return (server, handle, result);
    }
}
