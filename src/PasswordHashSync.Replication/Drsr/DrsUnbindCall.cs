using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>IDL_DRSUnbind (opnum 1; MS-DRSR 4.1.25; IDL <c>drsuapi_DsUnbind</c>): in/out <c>[ref] DRS_HANDLE *phDrs</c>, WERROR.</summary>
internal static class DrsUnbindCall
{
    /// <summary>The opnum.</summary>
    public const ushort Opnum = 1;

    /// <summary>Writes the request stub.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="handle">The handle to close.</param>
    public static void WriteRequest(NdrWriter writer, DrsHandle handle) => handle.Write(writer);

    /// <summary>Reads the response stub.</summary>
    /// <param name="stub">The stub.</param>
    /// <returns>The zeroed handle and the WERROR.</returns>
    public static (DrsHandle Handle, int Result) ReadResponse(ReadOnlyMemory<byte> stub)
    {
        var reader = new NdrReader(stub);
        DrsHandle handle = DrsHandle.Read(ref reader);
        int result = reader.ReadInt32("IDL_DRSUnbind return value");
        reader.ExpectEnd("IDL_DRSUnbind response");
        return (handle, result);
    }
}
