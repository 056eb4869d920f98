using System.Text.Json;
using PasswordHashSync.Replication.Drsr;

namespace PasswordHashSync.UnitTests.Drsr;

/// <summary>The response stubs of IDL_DRSBind, IDL_DRSUnbind, IDL_DRSCrackNames and IDL_DRSDomainControllerInfo as Samba's NDR packs them.</summary>
public class DrsResponseParserTests
{
    private static readonly Lazy<JsonElement> s_samba = new(() => JsonDocument.Parse(SambaNdrReference.Run("responses")).RootElement);

    private static readonly DrsHandle TestHandle = new(0, new Guid("0a0b0c0d-0102-0304-0506-0708090a0b0c"));

    [Theory]
    [InlineData(28)]
    [InlineData(48)]
    [InlineData(52)]
    public void Bind_reply_of_every_length_parses_with_zero_padding(int length)
    {
        (DrsExtensions server, DrsHandle handle, int result) = DrsBindCall.ReadResponse(Stub("bind" + length));
        Assert.Equal(0, result);
        Assert.Equal(TestHandle, handle);
        Assert.Equal(length, server.Length);
        Assert.Equal(0x2FFFFF6Fu, server.Flags);
        Assert.Equal(new Guid("01234567-89ab-cdef-0123-456789abcdef"), server.SiteObjectGuid);
        Assert.Equal(1234u, server.ProcessId);
        Assert.Equal(3u, server.ReplEpoch);
        Assert.Equal(length >= 48 ? 2u : 0u, server.FlagsExt);
        Assert.Equal(length >= 48 ? new Guid("fedcba98-7654-3210-fedc-ba9876543210") : Guid.Empty, server.ConfigObjectGuid);
        Assert.Equal(length == 52 ? 0x1302u : 0u, server.ExtCaps);
    }

    [Fact]
    public void Unbind_reply_parses()
    {
        (DrsHandle handle, int result) = DrsUnbindCall.ReadResponse(Stub("unbind"));
        Assert.True(handle.IsEmpty);
        Assert.Equal(0, result);
    }

    [Fact]
    public void CrackNames_reply_parses_found_and_missing_names()
    {
        (CrackedName[] results, int result) = CrackNamesCall.ReadResponse(Stub("cracknames"));
        Assert.Equal(0, result);
        Assert.Equal([new CrackedName(DsNameStatus.Ok, "samdom.example.com", "{82cb4275-7d82-4dbf-ab98-87ffa52108ea}"), new CrackedName(DsNameStatus.NotFound, null, null)], results);
    }

    [Fact]
    public void DomainControllerInfo_reply_parses_two_controllers()
    {
        (DomainControllerInfo[] dcs, int result) = DomainControllerInfoCall.ReadResponse(Stub("dcinfo"));
        Assert.Equal(0, result);
        Assert.Equal(2, dcs.Length);
        Assert.Equal("dc1.samdom.example.com", dcs[1].DnsHostName);
        Assert.Equal("DC0", dcs[0].NetBiosName);
        Assert.Null(dcs[0].SiteObjectName);
        Assert.Equal("CN=DC1,OU=Domain Controllers,DC=samdom,DC=example,DC=com", dcs[1].ComputerObjectName);
        Assert.StartsWith("CN=NTDS Settings,CN=DC0,CN=Servers", dcs[0].NtdsDsaObjectName, StringComparison.Ordinal);
        Assert.True(dcs[0].IsPdc);
        Assert.False(dcs[1].IsPdc);
        Assert.True(dcs[1].IsGlobalCatalog);
        Assert.Equal(new Guid("7a6aa8ee-6b93-4b8c-995a-2b3105efacf1"), dcs[1].NtdsDsaObjectGuid);
        Assert.Equal(new Guid("00000000-0000-0000-0000-000000000010"), dcs[0].ComputerObjectGuid);
    }

    [Fact]
    public void Refused_GetNCChanges_parses_with_its_werror()
    {
        using GetNCChangesReply reply = GetNCChangesReply.Parse(Stub("getncchanges_denied"));
        Assert.Equal(8453, reply.Result);
        Assert.Empty(reply.Objects);
    }

    internal static byte[] Stub(string name) => Convert.FromHexString(s_samba.Value.GetProperty(name).GetString()!);
}
