using System.Buffers.Binary;
using PasswordHashSync.Replication.Drsr;

namespace PasswordHashSync.UnitTests.Drsr;

/// <summary>The client's call sequencing and error mapping, over recorded Samba-packed responses.</summary>
public class DrsuapiClientTests
{
    [Fact]
    public async Task Bind_binds_again_with_the_servers_epoch()
    {
        var channel = new FakeRpcChannel();
        channel.Enqueue(DrsResponseParserTests.Stub("bind48"));     // epoch 3
        channel.Enqueue(DrsResponseParserTests.Stub("unbind"));
        channel.Enqueue(DrsResponseParserTests.Stub("bind48"));
        var client = new DrsuapiClient(channel);
        DrsExtensions server = await client.BindAsync(CancellationToken.None);
        Assert.Equal(3u, server.ReplEpoch);
        Assert.Equal([0, 1, 0], channel.Requests.Select(r => (int)r.Opnum));
        // dwReplEpoch sits at rgb offset 24; rgb starts after the GUID pointer, GUID, extensions pointer, cb and conformance.
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(channel.Requests[0].Stub.AsSpan(4 + 16 + 4 + 8 + 24)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(channel.Requests[2].Stub.AsSpan(4 + 16 + 4 + 8 + 24)));
        Assert.False(client.Handle.IsEmpty);
    }

    [Fact]
    public async Task Access_denied_names_both_replication_rights_and_the_remedy()
    {
        var channel = new FakeRpcChannel();
        channel.Enqueue(DrsResponseParserTests.Stub("bind28"));
        channel.Enqueue(DrsResponseParserTests.Stub("unbind"));
        channel.Enqueue(DrsResponseParserTests.Stub("bind28"));
        channel.Enqueue(DrsResponseParserTests.Stub("getncchanges_denied"));
        var client = new DrsuapiClient(channel);
        await client.BindAsync(CancellationToken.None);
        DrsErrorException error = await Assert.ThrowsAsync<DrsErrorException>(async () =>
            await client.GetNCChangesAsync(GetNCChangesRequests.ForDomain(DsName.FromDistinguishedName("DC=samdom,DC=example,DC=com")), CancellationToken.None));
        Assert.Equal(8453, error.Win32Error);
        Assert.Equal("ERROR_DS_DRA_ACCESS_DENIED", error.ErrorName);
        Assert.True(error.IsAccessDenied);
        Assert.Contains("Replicating Directory Changes\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("Replicating Directory Changes All", error.Message, StringComparison.Ordinal);
        Assert.Contains("1131f6ad-9c07-11d1-f79f-00c04fc2dcd2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_with_result_0_but_a_dwDRSError_fails_with_that_error()
    {
        // Samba-packed V6: method result 0, dwDRSError WERR_DS_DRA_ACCESS_DENIED, no objects, fMoreData false. Read as a
        // success it would look like the end of an empty cycle, and the watermark would move over nothing.
        var channel = new FakeRpcChannel();
        channel.Enqueue(DrsResponseParserTests.Stub("bind28"));
        channel.Enqueue(DrsResponseParserTests.Stub("unbind"));
        channel.Enqueue(DrsResponseParserTests.Stub("bind28"));
        channel.Enqueue(DrsResponseParserTests.Stub("getncchanges_drs_error"));
        var client = new DrsuapiClient(channel);
        await client.BindAsync(CancellationToken.None);
        DrsErrorException error = await Assert.ThrowsAsync<DrsErrorException>(async () =>
            await client.GetNCChangesAsync(GetNCChangesRequests.ForDomain(DsName.FromDistinguishedName("DC=samdom,DC=example,DC=com")), CancellationToken.None));
        Assert.Equal(8453, error.Win32Error);
        Assert.True(error.IsAccessDenied);
    }

    [Fact]
    public async Task An_unparsable_reply_ending_in_a_werror_reports_the_werror()
    {
        var channel = new FakeRpcChannel();
        channel.Enqueue(DrsResponseParserTests.Stub("bind28"));
        channel.Enqueue(DrsResponseParserTests.Stub("unbind"));
        channel.Enqueue(DrsResponseParserTests.Stub("bind28"));
        channel.Enqueue([0, 0, 0, 0, 0x57, 0, 0, 0]);              // level 0, then WERR_INVALID_PARAMETER
        var client = new DrsuapiClient(channel);
        await client.BindAsync(CancellationToken.None);
        DrsErrorException error = await Assert.ThrowsAsync<DrsErrorException>(async () =>
            await client.GetNCChangesAsync(GetNCChangesRequests.ForDomain(DsName.FromDistinguishedName("DC=x")), CancellationToken.None));
        Assert.Equal(87, error.Win32Error);
        Assert.IsType<DrsProtocolException>(error.InnerException);
    }

    [Fact]
    public async Task Calls_before_bind_are_refused()
    {
        var client = new DrsuapiClient(new FakeRpcChannel());
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await client.CrackNameAsync(DsNameFormat.Nt4Account, DsNameFormat.Guid, "D\\u", CancellationToken.None));
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(7u)]
    public void Compressed_replies_are_refused_clearly(uint version)
    {
        byte[] stub = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(stub, version);
        BinaryPrimitives.WriteUInt32LittleEndian(stub.AsSpan(4), version);
        DrsProtocolException error = Assert.Throws<DrsProtocolException>(() => GetNCChangesReply.Parse(stub));
        Assert.Contains("compression is not supported", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8439, "ERROR_DS_DRA_BAD_DN")]
    [InlineData(8440, "ERROR_DS_DRA_BAD_NC")]
    [InlineData(8420, "ERROR_DS_CANT_FIND_EXPECTED_NC")]
    [InlineData(87, "ERROR_INVALID_PARAMETER")]
    [InlineData(1306, "ERROR_REVISION_MISMATCH")]
    [InlineData(8593, "ERROR_DS_DIFFERENT_REPL_EPOCHS")]
    [InlineData(12345, "WIN32_ERROR_12345")]
    public void Win32_errors_carry_code_and_name(int code, string name)
    {
        var error = new DrsErrorException("IDL_DRSGetNCChanges", code);
        Assert.Equal(code, error.Win32Error);
        Assert.Equal(name, error.ErrorName);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsAccessDenied);
    }

    [Fact]
    public void Extended_operation_errors_are_named()
    {
        var error = new DrsErrorException("IDL_DRSGetNCChanges", 0, 0xF);
        Assert.True(error.IsAccessDenied);
        Assert.Contains("EXOP_ERR_ACCESS_DENIED", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Name resolution over CrackNames.</summary>
public class DrsuapiClientResolveTests
{
    [Theory]
    [InlineData("SAMDOM\\jorg", 2u)]
    [InlineData("jorg@samdom.example.com", 8u)]
    [InlineData("CN=jorg,CN=Users,DC=samdom,DC=example,DC=com", 1u)]
    public async Task ResolveAccount_picks_the_offered_format_and_returns_the_guid(string name, uint formatOffered)
    {
        var channel = new FakeRpcChannel();
        channel.Enqueue(DrsResponseParserTests.Stub("bind28"));
        channel.Enqueue(DrsResponseParserTests.Stub("unbind"));
        channel.Enqueue(DrsResponseParserTests.Stub("bind28"));
        channel.Enqueue(DrsResponseParserTests.Stub("cracknames1"));
        var client = new DrsuapiClient(channel);
        await client.BindAsync(CancellationToken.None);
        DsName account = await client.ResolveAccountAsync(name, CancellationToken.None);
        Assert.Equal(new Guid("82cb4275-7d82-4dbf-ab98-87ffa52108ea"), account.Guid);
        Assert.Equal(string.Empty, account.DistinguishedName);
        byte[] request = channel.Requests[^1].Stub;
        // handle 20, dwInVersion 4, discriminant 4, CodePage 4, LocaleId 4, dwFlags 4, then formatOffered and formatDesired.
        Assert.Equal(formatOffered, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(40)));
        Assert.Equal(6u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(44)));
    }

    [Fact]
    public async Task ResolveAccount_of_an_unknown_name_fails_with_the_status()
    {
        var channel = new FakeRpcChannel();
        channel.Enqueue(DrsResponseParserTests.Stub("bind28"));
        channel.Enqueue(DrsResponseParserTests.Stub("unbind"));
        channel.Enqueue(DrsResponseParserTests.Stub("bind28"));
        channel.Enqueue(DrsResponseParserTests.Stub("cracknames"));  // two results: refused as malformed for one name
        var client = new DrsuapiClient(channel);
        await client.BindAsync(CancellationToken.None);
        await Assert.ThrowsAsync<DrsProtocolException>(async () => await client.ResolveAccountAsync("SAMDOM\\x", CancellationToken.None));
    }
}
