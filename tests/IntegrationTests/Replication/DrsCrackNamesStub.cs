using System.Buffers.Binary;
using System.Text;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// A hand-marshalled IDL_DRSCrackNames (opnum 12; MS-DRSR 4.1.4; [idl] <c>drsuapi_DsCrackNames</c>, request level 1
/// <c>drsuapi_DsNameRequest1</c>) asking for many names at once, so that Samba's sealed reply spans many fragments.
/// Only the transport is under test here; the real marshalling lives in <c>Drsr/</c>.
/// </summary>
internal static class DrsCrackNamesStub
{
    public const ushort Opnum = 12;

    /// <summary>Builds the request: handle, level 1, then the V1 request with <paramref name="names"/> as NT4 account names to crack to FQDN (1779) DNs.</summary>
    public static byte[] Build(ReadOnlySpan<byte> contextHandle, IReadOnlyList<string> names)
    {
        var stub = new List<byte>();
        stub.AddRange(contextHandle.ToArray());
        U32(stub, 1); // dwInVersion
        U32(stub, 1); // union discriminant
        U32(stub, 0); // CodePage
        U32(stub, 0); // LocaleId
        U32(stub, 0); // dwFlags
        U32(stub, 2); // formatOffered: DS_NT4_ACCOUNT_NAME
        U32(stub, 1); // formatDesired: DS_FQDN_1779_NAME
        U32(stub, (uint)names.Count);
        U32(stub, 0x00020000); // rpNames referent
        U32(stub, (uint)names.Count); // conformance
        for (int i = 0; i < names.Count; i++)
        {
            U32(stub, 0x00020004 + (4 * (uint)i));
        }

        foreach (string name in names)
        {
            byte[] chars = Encoding.Unicode.GetBytes(name + "\0");
            U32(stub, (uint)(name.Length + 1));
            U32(stub, 0);
            U32(stub, (uint)(name.Length + 1));
            stub.AddRange(chars);
            while (stub.Count % 4 != 0)
            {
                stub.Add(0);
            }
        }

        return [.. stub];
    }

    /// <summary>Checks the reply's level, item count and WERROR (the last four bytes).</summary>
    public static (uint Level, uint Count, uint Result) Parse(ReadOnlySpan<byte> stub) => (
        BinaryPrimitives.ReadUInt32LittleEndian(stub),
        BinaryPrimitives.ReadUInt32LittleEndian(stub[12..]),
        BinaryPrimitives.ReadUInt32LittleEndian(stub[^4..]));

    private static void U32(List<byte> stub, uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stub.AddRange(bytes);
    }
}
