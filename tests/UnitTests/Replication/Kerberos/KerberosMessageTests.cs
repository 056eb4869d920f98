using System.Formats.Asn1;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Kdc;

namespace PasswordHashSync.UnitTests.Replication.Kerberos;

/// <summary>
/// The RFC 4120 message layer: encoders produce the documented DER shapes, parsers read them back, and malformed or
/// mistyped input is a <see cref="KerberosException"/>. The interoperable proof is the MIT and Samba KDC tests.
/// </summary>
public class KerberosMessageTests
{
    [Fact]
    public void KerberosString_is_a_GeneralString()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        KerberosAsn1.WriteKerberosString(writer, "krbtgt");
        byte[] encoded = writer.Encode();
        Assert.Equal("1B066B7262746774", Convert.ToHexString(encoded));
        Assert.Equal("krbtgt", KerberosAsn1.ReadKerberosString(new AsnReader(encoded, AsnEncodingRules.DER)));
    }

    [Fact]
    public void As_request_has_the_rfc4120_shape()
    {
        byte[] body = KdcRequest.EncodeBody(KdcRequest.AsOptions, KerberosPrincipalName.User("alice"), "EXAMPLE.COM", KerberosPrincipalName.Service("krbtgt", "EXAMPLE.COM"), new DateTimeOffset(2037, 1, 1, 0, 0, 0, TimeSpan.Zero), 12345, [KerberosEncryptionType.Aes256CtsHmacSha196]);
        byte[] request = KdcRequest.Encode(KdcRequest.AsRequest, [(KdcRequest.PaPacRequest, KdcRequest.EncodePacRequest())], body);
        Assert.Equal(0x6A, request[0]); // [APPLICATION 10]
        var reader = new AsnReader(request, AsnEncodingRules.DER).ReadSequence(new Asn1Tag(TagClass.Application, 10)).ReadSequence();
        Assert.Equal(5, KerberosAsn1.ReadInt32(reader, 1));
        Assert.Equal(10, KerberosAsn1.ReadInt32(reader, 2));
        IReadOnlyList<(int Type, byte[] Value)> padata = KdcReply.ReadMethodData(reader, 3);
        Assert.Equal(128, Assert.Single(padata).Type);
        Assert.Equal("3005A0030101FF", Convert.ToHexString(padata[0].Value));
        AsnReader bodyReader = reader.ReadSequence(KerberosAsn1.Context(4)).ReadSequence();
        Assert.Equal(new byte[] { 0x40, 0x81, 0x00, 0x10 }, bodyReader.ReadSequence(KerberosAsn1.Context(0)).ReadBitString(out _));
        Assert.Equal(["alice"], KerberosPrincipalName.Read(bodyReader, 1).Components);
        Assert.Equal("EXAMPLE.COM", KerberosAsn1.ReadString(bodyReader, 2));
        Assert.Equal(["krbtgt", "EXAMPLE.COM"], KerberosPrincipalName.Read(bodyReader, 3).Components);
        Assert.Equal(new DateTimeOffset(2037, 1, 1, 0, 0, 0, TimeSpan.Zero), KerberosAsn1.ReadTime(bodyReader, 5));
        Assert.Equal(12345u, KerberosAsn1.ReadUInt32(bodyReader, 7));
    }

    [Fact]
    public void Krb_error_with_etype_info2_yields_salt_and_iteration_count()
    {
        byte[] error = KerberosTestMessages.KrbError(25, KerberosTestMessages.EtypeInfo2(18, "EXAMPLE.COMalice"u8.ToArray(), [0, 0, 0x10, 0]));
        KerberosErrorMessage parsed = KerberosErrorMessage.Parse(error);
        Assert.Equal(25, parsed.ErrorCode);
        EtypeInfo2Entry entry = Assert.Single(parsed.GetEtypeInfo2());
        Assert.Equal(18, entry.EncryptionType);
        Assert.Equal("EXAMPLE.COMalice"u8.ToArray(), entry.Salt);
        Assert.Equal(4096, entry.GetIterationCount());
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x01, 0, 0, 0 })]
    [InlineData(new byte[] { 0x10, 0 })]
    public void Hostile_iteration_counts_are_refused(byte[] parameters)
    {
        var entry = new EtypeInfo2Entry(18, null, parameters);
        Assert.Throws<KerberosException>(() => entry.GetIterationCount());
    }

    [Theory]
    [InlineData(24, "Wrong password")]
    [InlineData(6, "does not know the account")]
    [InlineData(37, "clocks")]
    [InlineData(14, "no encryption type")]
    [InlineData(18, "disabled")]
    [InlineData(23, "expired")]
    public void Kdc_errors_map_to_clear_messages(int code, string fragment)
    {
        KerberosException e = KerberosErrorCode.ToException(code, "alice@EXAMPLE.COM", "kdc:88");
        Assert.Equal(code, e.ErrorCode);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_and_mistyped_messages_are_kerberos_exceptions()
    {
        byte[] error = KerberosTestMessages.KrbError(24, null);
        for (int length = 0; length < error.Length; length++)
        {
            Assert.Throws<KerberosException>(() => KerberosErrorMessage.Parse(error.AsMemory(0, length)));
        }

        Assert.Throws<KerberosException>(() => KdcReply.Parse(error, KdcReply.AsReply));
        Assert.Throws<KerberosException>(() => EncKdcReplyPart.Parse(error));
        Assert.Throws<KerberosException>(() => ApReply.ParseEncryptedPart(error));
    }

    [Fact]
    public void As_reply_parses_and_keeps_the_ticket_bytes()
    {
        byte[] reply = KerberosTestMessages.AsReply();
        KdcReply parsed = KdcReply.Parse(reply, KdcReply.AsReply);
        Assert.Equal("EXAMPLE.COM", parsed.ClientRealm);
        Assert.Equal(["krbtgt", "EXAMPLE.COM"], parsed.Ticket.ServerName.Components);
        Assert.Equal(0x61, parsed.Ticket.Encoded[0]);
        Assert.Equal(18, parsed.EncryptedPart.EncryptionType);
    }

    [Fact]
    public void Ap_reply_round_trips_under_the_session_key()
    {
        using var sessionKey = EncryptionKey.Random(18, 32);
        var time = new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero).AddTicks(1234560);
        byte[] encoded = ApReply.Encode(sessionKey, time, 777, allowRc4: false);
        Assert.Equal(ApReply.FirstByte, encoded[0]);
        using ApReply reply = ApReply.Decrypt(encoded, sessionKey, allowRc4: false);
        Assert.Equal(777u, reply.SequenceNumber);
        Assert.Null(reply.Subkey);
        Assert.Equal(123456, reply.Microseconds);
        using var otherKey = EncryptionKey.Random(18, 32);
        Assert.Throws<KerberosException>(() => ApReply.Decrypt(encoded, otherKey, allowRc4: false));
    }

    [Theory]
    [InlineData("dc1.example.com", "dc1.example.com", 88)]
    [InlineData("dc1.example.com:1088", "dc1.example.com", 1088)]
    [InlineData("127.1.2.3:88", "127.1.2.3", 88)]
    [InlineData("[::1]:750", "::1", 750)]
    [InlineData("[fe80::1]", "fe80::1", 88)]
    public void Kdc_endpoints_parse(string text, string host, int port) => Assert.Equal(new KdcEndpoint(host, port), KdcEndpoint.Parse(text));

    [Theory]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:x")]
    [InlineData("[::1")]
    [InlineData(":88")]
    public void Bad_kdc_endpoints_are_refused(string text) => Assert.Throws<ArgumentException>(() => KdcEndpoint.Parse(text));
}
