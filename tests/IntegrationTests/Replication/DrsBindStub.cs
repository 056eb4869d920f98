using System.Buffers.Binary;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// A minimal hand-marshalled IDL_DRSBind (opnum 0; MS-DRSR 4.1.3; [idl] <c>drsuapi_DsBind</c>) for proving the
/// transport: a unique pointer to NTDSAPI_CLIENT_GUID and a unique pointer to a 48-byte DRS_EXTENSIONS_INT. The real
/// DRSUAPI marshalling lives in <c>Drsr/</c>; this only has to be a request Samba answers.
/// </summary>
internal static class DrsBindStub
{
    public const ushort Opnum = 0;

    /// <summary>NTDSAPI_CLIENT_GUID (MS-DRSR 4.1.3.1).</summary>
    public static readonly Guid NtdsapiClientGuid = new("e24d201a-4fd6-11d1-a3da-0000f875ae0d");

    /// <summary>DRS_EXT_BASE | STRONG_ENCRYPTION | GETCHGREQ_V8 | GETCHGREPLY_V6 (MS-DRSR 5.39).</summary>
    public const uint ClientFlags = 0x00000001 | 0x00008000 | 0x01000000 | 0x04000000;

    /// <summary>The request; <paramref name="extensionsLength"/> is DRS_EXTENSIONS.cb (48, or up to 10000 with zeros after the 48 bytes).</summary>
    public static byte[] Build(int extensionsLength)
    {
        // referent, GUID, referent, max_count = cb, cb, then cb bytes of DRS_EXTENSIONS_INT.
        byte[] stub = new byte[4 + 16 + 4 + 4 + 4 + extensionsLength];
        Span<byte> s = stub;
        BinaryPrimitives.WriteUInt32LittleEndian(s, 0x00020000);
        _ = NtdsapiClientGuid.TryWriteBytes(s[4..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], 0x00020004);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)extensionsLength);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)extensionsLength);
        BinaryPrimitives.WriteUInt32LittleEndian(s[32..], ClientFlags);
        return stub;
    }

    /// <summary>Reads ppextServer, phDrs and the WERROR of the reply.</summary>
    public static (uint ServerFlags, Guid HandleGuid, uint Result) Parse(ReadOnlySpan<byte> stub)
    {
        int o = 0;
        uint referent = BinaryPrimitives.ReadUInt32LittleEndian(stub);
        o += 4;
        uint serverFlags = 0;
        if (referent != 0)
        {
            uint maxCount = BinaryPrimitives.ReadUInt32LittleEndian(stub[o..]);
            uint cb = BinaryPrimitives.ReadUInt32LittleEndian(stub[(o + 4)..]);
            Assert.Equal(maxCount, cb);
            serverFlags = BinaryPrimitives.ReadUInt32LittleEndian(stub[(o + 8)..]);
            o += 8 + (int)cb;
            o = (o + 3) & ~3;
        }

        Guid handle = new(stub.Slice(o + 4, 16));
        uint result = BinaryPrimitives.ReadUInt32LittleEndian(stub[(o + 20)..]);
        Assert.Equal(o + 24, stub.Length);
        return (serverFlags, handle, result);
    }
}
