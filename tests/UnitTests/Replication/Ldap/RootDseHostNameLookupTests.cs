using System.Formats.Asn1;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PasswordHashSync.Replication.Ldap;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Replication.Ldap;

/// <summary>
/// The hand-written rootDSE search refuses every malformed, hostile or unexpected reply with
/// <see cref="InvalidDataException"/> (or <see cref="IOException"/> / <see cref="TimeoutException"/> for the
/// connection), never a crash, hang or unbounded allocation; the request is the RFC 4511 BER the test decodes itself.
/// (Against Samba's real LDAP server: IntegrationTests SambaKerberosRpcTests.RootDSE_of_the_DC_names_its_DNS_host_name.)
/// </summary>
public sealed class RootDseHostNameLookupTests
{
    private static readonly Asn1Tag s_entry = new(TagClass.Application, 4, isConstructed: true);
    private static readonly Asn1Tag s_done = new(TagClass.Application, 5, isConstructed: true);
    private static readonly Asn1Tag s_reference = new(TagClass.Application, 19, isConstructed: true);

    [Fact]
    public void Search_request_is_a_base_object_search_of_the_empty_DN_for_one_attribute()
    {
        byte[] request = RootDseMessages.EncodeSearchRequest(1, "dnsHostName", 10);
        var outer = new AsnReader(request, AsnEncodingRules.DER).ReadSequence();
        Assert.Equal(1, (int)outer.ReadInteger());
        AsnReader search = outer.ReadSequence(new Asn1Tag(TagClass.Application, 3, isConstructed: true));
        Assert.Empty(search.ReadOctetString());
        Assert.Equal(0, search.ReadEnumeratedBytes().Span[0]); // baseObject
        Assert.Equal(0, search.ReadEnumeratedBytes().Span[0]); // neverDerefAliases
        Assert.Equal(1, (int)search.ReadInteger());
        Assert.Equal(10, (int)search.ReadInteger());
        Assert.False(search.ReadBoolean());
        Assert.Equal("objectClass", Encoding.ASCII.GetString(search.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 7))));
        AsnReader attributes = search.ReadSequence();
        Assert.Equal("dnsHostName", Encoding.ASCII.GetString(attributes.ReadOctetString()));
        Assert.False(attributes.HasData);
        Assert.False(search.HasData);
    }

    [Fact]
    public void Entry_then_done_gives_the_lower_cased_host_name()
    {
        Assert.Equal(RootDseMessages.ReplyKind.Entry, RootDseMessages.ParseReply(Entry(1, ("DnsHostName", ["DC1.Contoso.COM"])), 1, "dnsHostName", out string? value));
        Assert.Equal("dc1.contoso.com", RootDseHostNameLookup.Validate(value, "x"));
        Assert.Equal(RootDseMessages.ReplyKind.Done, RootDseMessages.ParseReply(Done(1, 0), 1, "dnsHostName", out _));
        Assert.Equal(RootDseMessages.ReplyKind.Reference, RootDseMessages.ParseReply(Reference(1), 1, "dnsHostName", out _));
    }

    [Fact]
    public void A_reply_with_every_length_in_the_four_byte_long_form_is_read_as_Active_Directory_sends_it()
    {
        // AD's LDAP server writes each BER length as 0x84 and four bytes, however short (legal BER, X.690 8.1.3.5; not
        // DER). Samba and OpenLDAP use the short form, so only this test covers the Windows encoding.
        byte[] entry = WithLongFormLengths(Entry(1, ("dnsHostName", ["DC1.contoso.com"])));
        byte[] done = WithLongFormLengths(Done(1, 0));
        Assert.Equal(0x84, entry[1]);
        Assert.Equal(entry.Length, RootDseMessages.GetMessageLength(entry, RootDseHostNameLookup.MaxMessageLength));
        Assert.Equal(RootDseMessages.ReplyKind.Entry, RootDseMessages.ParseReply(entry, 1, "dnsHostName", out string? value));
        Assert.Equal("dc1.contoso.com", RootDseHostNameLookup.Validate(value, "x"));
        Assert.Equal(RootDseMessages.ReplyKind.Done, RootDseMessages.ParseReply(done, 1, "dnsHostName", out _));
    }

    public static TheoryData<string, byte[]> MalformedReplies() => new()
    {
        { "another message id", Entry(2, ("dnsHostName", ["dc1.contoso.com"])) },
        { "unsolicited notification", Entry(0, ("dnsHostName", ["dc1.contoso.com"])) },
        { "search refused (insufficientAccessRights)", Done(1, 50) },
        { "not a sequence", [0x04, 0x00] },
        { "truncated inside", Entry(1, ("dnsHostName", ["dc1.contoso.com"]))[..^3] },
        { "trailing bytes", [.. Done(1, 0), 0x00] },
        { "unexpected operation (bind response)", Message(1, w => { using (w.PushSequence(new Asn1Tag(TagClass.Application, 1, true))) { w.WriteEnumeratedValue(Zero.Value); w.WriteOctetString([]); w.WriteOctetString([]); } }) },
        { "value not UTF-8", EntryBytes(1, "dnsHostName", [0xC3, 0x28]) },
        { "value too long", EntryBytes(1, "dnsHostName", Encoding.ASCII.GetBytes(new string('a', RootDseMessages.MaxValueLength + 1))) },
        { "message id out of range", Message(-1, w => w.WriteNull()) },
    };

    [Theory]
    [MemberData(nameof(MalformedReplies))]
    public void Malformed_reply_is_InvalidDataException(string what, byte[] reply)
    {
        Assert.False(string.IsNullOrEmpty(what));
        Assert.Throws<InvalidDataException>(() => RootDseMessages.ParseReply(reply, 1, "dnsHostName", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dc1")]
    [InlineData("dc1..contoso.com")]
    [InlineData("dc1.contoso.com;rm -rf")]
    [InlineData("-dc1.contoso.com")]
    [InlineData("dc1.contoso.com/ldap")]
    [InlineData("dc1.cöntoso.com")]
    public void A_value_that_is_no_DNS_host_name_is_refused(string? name) =>
        Assert.Throws<InvalidDataException>(() => RootDseHostNameLookup.Validate(name, "x"));

    [Fact]
    public void Length_headers_are_checked_before_anything_is_allocated()
    {
        Assert.Equal(0, RootDseMessages.GetMessageLength([0x30], 100));
        Assert.Equal(7, RootDseMessages.GetMessageLength([0x30, 0x05], 100));
        Assert.Equal(0, RootDseMessages.GetMessageLength([0x30, 0x82, 0x01], 1000));
        Assert.Equal(4 + 0x100, RootDseMessages.GetMessageLength([0x30, 0x82, 0x01, 0x00], 1000));
        Assert.Throws<InvalidDataException>(() => RootDseMessages.GetMessageLength([0x30, 0x80], 100)); // indefinite
        Assert.Throws<InvalidDataException>(() => RootDseMessages.GetMessageLength([0x30, 0x85, 1, 1, 1, 1, 1], 100));
        Assert.Throws<InvalidDataException>(() => RootDseMessages.GetMessageLength([0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF], RootDseHostNameLookup.MaxMessageLength));
        Assert.Throws<InvalidDataException>(() => RootDseMessages.GetMessageLength([0x04, 0x00], 100));
    }

    [Fact]
    public void Random_mutations_of_a_valid_reply_never_escape_as_anything_but_InvalidDataException()
    {
        byte[] valid = Entry(1, ("dnsHostName", ["dc1.contoso.com"]), ("supportedLDAPVersion", ["3", "2"]));
        var random = new Random(4511);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] mutated = (byte[])valid.Clone();
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips; f++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            byte[] input = random.Next(4) == 0 ? mutated[..random.Next(mutated.Length)] : mutated;
            try
            {
                RootDseMessages.ParseReply(input, 1, "dnsHostName", out _);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public async Task Server_that_answers_entry_and_done_gives_the_name()
    {
        string name = await WithServerAsync([.. Entry(1, ("dnsHostName", ["dc7.fabrikam.test."])), .. Done(1, 0)], (host, port) =>
            RootDseHostNameLookup.GetDnsHostNameAsync(host, port, TimeSpan.FromSeconds(20), default));
        Assert.Equal("dc7.fabrikam.test", name);
    }

    [Fact]
    public async Task Server_that_closes_mid_message_is_IOException() =>
        await WithServerAsync(Entry(1, ("dnsHostName", ["dc7.fabrikam.test"]))[..10], async (host, port) =>
            await Assert.ThrowsAsync<IOException>(() => RootDseHostNameLookup.GetDnsHostNameAsync(host, port, TimeSpan.FromSeconds(20), default)));

    [Fact]
    public async Task Server_that_never_answers_is_TimeoutException() =>
        await WithServerAsync(null, async (host, port) =>
            await Assert.ThrowsAsync<TimeoutException>(() => RootDseHostNameLookup.GetDnsHostNameAsync(host, port, TimeSpan.FromMilliseconds(300), default)));

    [Fact]
    public async Task Server_that_sends_endless_references_or_a_huge_length_is_refused()
    {
        byte[] references = [.. Enumerable.Range(0, RootDseHostNameLookup.MaxMessages + 1).SelectMany(_ => Reference(1))];
        await WithServerAsync(references, async (host, port) =>
            await Assert.ThrowsAsync<InvalidDataException>(() => RootDseHostNameLookup.GetDnsHostNameAsync(host, port, TimeSpan.FromSeconds(20), default)));
        await WithServerAsync([0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF], async (host, port) =>
            await Assert.ThrowsAsync<InvalidDataException>(() => RootDseHostNameLookup.GetDnsHostNameAsync(host, port, TimeSpan.FromSeconds(20), default)));
        await WithServerAsync(Done(1, 0), async (host, port) =>
            Assert.Contains("no dnsHostName", (await Assert.ThrowsAsync<InvalidDataException>(() => RootDseHostNameLookup.GetDnsHostNameAsync(host, port, TimeSpan.FromSeconds(20), default))).Message, StringComparison.Ordinal));
    }

    private static async Task<T> WithServerAsync<T>(byte[]? reply, Func<string, int, Task<T>> client)
    {
        IPAddress address = LoopbackAddress.Allocate();
        using var listener = new TcpListener(address, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        Task server = Task.Run(async () =>
        {
            using Socket socket = await listener.AcceptSocketAsync(stop.Token);
            byte[] request = new byte[256];
            _ = await socket.ReceiveAsync(request, SocketFlags.None, stop.Token);
            if (reply is null)
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }

            await socket.SendAsync(reply, SocketFlags.None, stop.Token);
            socket.Shutdown(SocketShutdown.Send);
            await Task.Delay(Timeout.Infinite, stop.Token);
        });
        try
        {
            return await client(address.ToString(), port);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(server);
        }
    }

    private static async Task WithServerAsync(byte[]? reply, Func<string, int, Task> client) =>
        await WithServerAsync<bool>(reply, async (h, p) => { await client(h, p); return true; });

    private static byte[] Message(int id, Action<AsnWriter> operation)
    {
        var writer = new AsnWriter(AsnEncodingRules.BER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(id);
            operation(writer);
        }

        return writer.Encode();
    }

    private static byte[] Entry(int id, params (string Type, string[] Values)[] attributes) => Message(id, w =>
    {
        using (w.PushSequence(s_entry))
        {
            w.WriteOctetString([]);
            using (w.PushSequence())
            {
                foreach ((string type, string[] values) in attributes)
                {
                    using (w.PushSequence())
                    {
                        w.WriteOctetString(Encoding.UTF8.GetBytes(type));
                        using (w.PushSetOf())
                        {
                            foreach (string value in values)
                            {
                                w.WriteOctetString(Encoding.UTF8.GetBytes(value));
                            }
                        }
                    }
                }
            }
        }
    });

    private static byte[] EntryBytes(int id, string type, byte[] value) => Message(id, w =>
    {
        using (w.PushSequence(s_entry))
        {
            w.WriteOctetString([]);
            using (w.PushSequence())
            using (w.PushSequence())
            {
                w.WriteOctetString(Encoding.UTF8.GetBytes(type));
                using (w.PushSetOf())
                {
                    w.WriteOctetString(value);
                }
            }
        }
    });

    private static byte[] Done(int id, int resultCode) => Message(id, w =>
    {
        using (w.PushSequence(s_done))
        {
            w.WriteEnumeratedValue((Zero)resultCode);
            w.WriteOctetString([]);
            w.WriteOctetString([]);
        }
    });

    private static byte[] Reference(int id) => Message(id, w =>
    {
        using (w.PushSequence(s_reference))
        {
            w.WriteOctetString(Encoding.ASCII.GetBytes("ldap://elsewhere/"));
        }
    });

    /// <summary>Re-encodes a BER TLV tree (single-byte tags, definite lengths) with every length as 0x84 and four bytes.</summary>
    private static byte[] WithLongFormLengths(ReadOnlySpan<byte> der)
    {
        var output = new List<byte>();
        while (!der.IsEmpty)
        {
            byte tag = der[0];
            int length = der[1];
            int header = 2;
            if ((length & 0x80) != 0)
            {
                int count = length & 0x7F;
                length = 0;
                for (int i = 0; i < count; i++)
                {
                    length = (length << 8) | der[2 + i];
                }

                header += count;
            }

            ReadOnlySpan<byte> content = der.Slice(header, length);
            byte[] inner = (tag & 0x20) != 0 ? WithLongFormLengths(content) : content.ToArray();
            output.Add(tag);
            output.Add(0x84);
            output.AddRange([(byte)(inner.Length >> 24), (byte)(inner.Length >> 16), (byte)(inner.Length >> 8), (byte)inner.Length]);
            output.AddRange(inner);
            der = der[(header + length)..];
        }

        return [.. output];
    }

    private enum Zero
    {
        Value = 0,
    }
}
