using System.Text.Json;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.UnitTests.Drsr;

/// <summary>
/// Every request stub the DRSUAPI layer writes is byte-identical to the one Samba's own NDR marshals from the same
/// values (samba.ndr.ndr_pack_in of samba.dcerpc.drsuapi function objects).
/// </summary>
public class DrsRequestWriterTests
{
    private static readonly Lazy<JsonElement> s_samba = new(() => JsonDocument.Parse(SambaNdrReference.Run("requests")).RootElement);

    private static readonly DrsHandle TestHandle = new(0, new Guid("0a0b0c0d-0102-0304-0506-0708090a0b0c"));

    [Fact]
    public void Bind_matches_samba()
    {
        DrsExtensions extensions = DrsExtensions.Client(replEpoch: 7);
        Assert.Equal(0x05C08441u, extensions.Flags);
        AssertSame("bind", w => DrsBindCall.WriteRequest(w, DrsBindCall.NtdsapiClientGuid, extensions));
    }

    [Fact]
    public void Unbind_matches_samba() => AssertSame("unbind", w => DrsUnbindCall.WriteRequest(w, TestHandle));

    [Fact]
    public void CrackNames_matches_samba() =>
        AssertSame("cracknames", w => CrackNamesCall.WriteRequest(w, TestHandle, DsNameFormat.Nt4Account, DsNameFormat.Guid, ["SAMDOM\\J\u00f6rg"]));

    [Fact]
    public void DomainControllerInfo_matches_samba() =>
        AssertSame("dcinfo", w => DomainControllerInfoCall.WriteRequest(w, TestHandle, "samdom.example.com"));

    [Fact]
    public void GetNCChanges_domain_request_with_watermark_and_cursors_matches_samba()
    {
        GetNCChangesRequest request = GetNCChangesRequests.ForDomain(
            DsName.FromDistinguishedName("DC=samdom,DC=example,DC=com"),
            new UsnVector(4100, 0, 4099),
            new Guid("11111111-2222-3333-4444-555555555555"),
            [new UpToDateCursor(new Guid("11111111-2222-3333-4444-555555555555"), 4099, 0), new UpToDateCursor(new Guid("66666666-7777-8888-9999-aaaaaaaaaaaa"), 12, 0)]);
        Assert.Equal(0x00200870u, (uint)request.Flags);
        AssertSame("getncchanges_domain", w => request.Write(w, TestHandle));
    }

    [Fact]
    public void GetNCChanges_account_request_with_partial_attribute_set_and_schema_info_matches_samba()
    {
        GetNCChangesRequest request = GetNCChangesRequests.ForAccount(
            DsName.FromGuid(new Guid("3e1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6")), new Guid("9c5c8a54-1c1f-4b44-a1b2-0102030405ff"));
        AssertSame("getncchanges_account", w => request.Write(w, TestHandle));
    }

    private static void AssertSame(string name, Action<NdrWriter> write)
    {
        using var writer = new NdrWriter(16);
        write(writer);
        Assert.Equal(s_samba.Value.GetProperty(name).GetString(), Convert.ToHexStringLower(writer.WrittenSpan));
    }
}
