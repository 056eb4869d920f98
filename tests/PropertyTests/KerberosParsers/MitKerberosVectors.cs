using System.Formats.Asn1;
using System.Text.Json;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Crypto;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.PropertyTests.KerberosParsers;

/// <summary>
/// The real MIT krb5 messages of <c>tests/Vectors/kerberos/mit-krb5.json</c> (recorded by
/// <c>capture_mit_krb5.py</c>: krb5kdc answering kinit and kvno, kadmin.local and ktutil keytabs, MIT GSS-API tokens),
/// and the plaintexts behind them, decrypted with the keys MIT itself exported (kadmin.local ktadd -norandkey).
/// </summary>
internal sealed class MitKerberosVectors
{
    private static readonly Lazy<MitKerberosVectors> s_instance = new(() => new MitKerberosVectors());

    private MitKerberosVectors()
    {
        string path = Path.Combine(RepositoryPaths.Root, "tests", "Vectors", "kerberos", "mit-krb5.json");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = json.RootElement;
        Passwords = [.. root.GetProperty("passwords").EnumerateObject().Select(p => p.Value.GetString()!)];
        Keytabs = root.GetProperty("keytabs").EnumerateObject().ToDictionary(p => p.Name, p => Hex(p.Value, "hex"));
        var exchanges = root.GetProperty("kdc_exchanges").EnumerateArray().Select(e => (Step: e.GetProperty("step").GetString()!, Reply: Hex(e, "reply"))).ToList();
        KrbErrors = [.. exchanges.Where(e => e.Reply[0] == KerberosErrorMessage.FirstByte).Select(e => e.Reply)];
        AsReplies = [.. exchanges.Where(e => e.Reply[0] == 0x6B).Select(e => e.Reply)];
        TgsReplies = [.. exchanges.Where(e => e.Reply[0] == 0x6D).Select(e => e.Reply)];

        // The client keys exported by kadmin.local, by etype, decrypt the AS-REPs; the TGT session key the TGS-REPs.
        List<KeytabReader.Entry> clientKeys = [.. new[] { "alice-kadmin", "bob-kadmin", "carol-kadmin" }.SelectMany(k => KeytabReader.Read(Keytabs[k]))];
        var asParts = new List<byte[]>();
        var sessionKeys = new List<(int Etype, byte[] Key)>();
        foreach (byte[] reply in AsReplies)
        {
            KdcReply parsed = KdcReply.Parse(reply, KdcReply.AsReply);
            KeytabReader.Entry key = clientKeys.First(k => k.Components[0] == parsed.ClientName.Components[0] && k.EncryptionType == parsed.EncryptedPart.EncryptionType);
            byte[] plain = Cipher(key.EncryptionType).Decrypt(key.Key, KerberosKeyUsage.AsReplyEncryptedPart, parsed.EncryptedPart.Cipher);
            asParts.Add(plain);
            using EncKdcReplyPart part = EncKdcReplyPart.Parse(plain);
            sessionKeys.Add((part.Key.EncryptionType, part.Key.Value.ToArray()));
            ReplyKeys.Add((reply, key.EncryptionType, key.Key.ToArray()));
        }

        // MIT's kvno armors its TGS-REQs with FAST (RFC 6113): the TGS-REP enc-parts are under a strengthened key
        // this test code does not derive; the TGS-REPs serve as parser input, the AS-REPs' parts as decrypted samples.
        EncKdcReplyParts = [.. asParts];
        SessionKeys = sessionKeys;

        // GSS: the AP-REQ's ticket decrypts under the service key (host.keytab) to the ticket session key, which
        // decrypts the AP-REP to the acceptor subkey that protects the wrap tokens.
        JsonElement gss = root.GetProperty("gss");
        ApRequestToken = Hex(gss, "ap_req_token");
        ApReplyToken = Hex(gss, "ap_rep_token");
        ApReply = StripGssFraming(ApReplyToken, 0x02);
        KeytabReader.Entry serviceKey = KeytabReader.Read(Keytabs["host-kadmin"]).First(e => e.EncryptionType == 18);
        (TicketSessionKeyType, TicketSessionKey) = TicketSessionKeyOf(StripGssFraming(ApRequestToken, 0x01), serviceKey.Key);
        EncApReplyPart = Cipher(TicketSessionKeyType).Decrypt(TicketSessionKey, KerberosKeyUsage.ApReplyEncryptedPart, ReadApReplyCipher(ApReply));
        using ApReply reply2 = PasswordHashSync.Replication.Kerberos.Asn1.ApReply.ParseEncryptedPart(EncApReplyPart);
        AcceptorSubkeyType = reply2.Subkey!.EncryptionType;
        AcceptorSubkey = reply2.Subkey.Value.ToArray();
        AcceptorWraps = [.. gss.GetProperty("acceptor_wraps").EnumerateArray().Select(w => (Hex(w, "token"), Hex(w, "plaintext")))];
        InitiatorWraps = [.. gss.GetProperty("initiator_wraps").EnumerateArray().Select(w => (Hex(w, "token"), Hex(w, "plaintext")))];
    }

    public static MitKerberosVectors Instance => s_instance.Value;

    public string[] Passwords { get; }

    public Dictionary<string, byte[]> Keytabs { get; }

    public byte[][] KrbErrors { get; }

    public byte[][] AsReplies { get; }

    public byte[][] TgsReplies { get; }

    /// <summary>Each AS-REP with the etype and key that decrypt its enc-part.</summary>
    public List<(byte[] Reply, int Etype, byte[] Key)> ReplyKeys { get; } = [];

    /// <summary>The decrypted EncASRepPart of every AS-REP.</summary>
    public byte[][] EncKdcReplyParts { get; }

    public List<(int Etype, byte[] Key)> SessionKeys { get; }

    public byte[] ApRequestToken { get; }

    public byte[] ApReplyToken { get; }

    /// <summary>The bare AP-REP inside the GSS token.</summary>
    public byte[] ApReply { get; }

    public int TicketSessionKeyType { get; }

    public byte[] TicketSessionKey { get; }

    public byte[] EncApReplyPart { get; }

    public int AcceptorSubkeyType { get; }

    public byte[] AcceptorSubkey { get; }

    public (byte[] Token, byte[] Plaintext)[] AcceptorWraps { get; }

    public (byte[] Token, byte[] Plaintext)[] InitiatorWraps { get; }

    /// <summary>Every key, ticket and password of the vectors: none may appear in an exception message.</summary>
    public IEnumerable<byte[]> Secrets()
    {
        foreach (byte[] keytab in Keytabs.Values)
        {
            foreach (KeytabReader.Entry entry in KeytabReader.Read(keytab))
            {
                yield return entry.Key;
            }
        }

        foreach ((_, byte[] key) in SessionKeys)
        {
            yield return key;
        }

        yield return TicketSessionKey;
        yield return AcceptorSubkey;
        foreach (byte[] reply in AsReplies.Concat(TgsReplies))
        {
            KdcReply parsed = KdcReply.Parse(reply, reply[0] == 0x6B ? KdcReply.AsReply : KdcReply.TgsReply);
            yield return parsed.Ticket.Encoded;
            yield return parsed.EncryptedPart.Cipher;
        }

        foreach (string password in Passwords)
        {
            yield return System.Text.Encoding.UTF8.GetBytes(password);
        }
    }

    public static KerberosCipher Cipher(int etype) => KerberosCiphers.Get(etype, allowRc4: false);

    /// <summary>The inner token of an RFC 2743 3.1 InitialContextToken (or RFC 4121 4.1 AP-REP token) with TOK_ID 0x0n00.</summary>
    public static byte[] StripGssFraming(byte[] token, byte tokenId)
    {
        AsnDecoder.ReadEncodedValue(token, AsnEncodingRules.BER, out int contentOffset, out int contentLength, out _);
        ReadOnlySpan<byte> content = token.AsSpan(contentOffset, contentLength);
        int oidLength = content[1] + 2; // 06 09 2A 86 48 86 F7 12 01 02 02
        Assert.Equal(tokenId, content[oidLength]);
        Assert.Equal(0, content[oidLength + 1]);
        return content[(oidLength + 2)..].ToArray();
    }

    private static (int, byte[]) TicketSessionKeyOf(byte[] apRequest, byte[] serviceKey)
    {
        // AP-REQ [APPLICATION 14] { pvno [0], msg-type [1], ap-options [2], ticket [3], authenticator [4] }.
        AsnReader sequence = new AsnReader(apRequest, AsnEncodingRules.DER).ReadSequence(KerberosAsn1.Application(14)).ReadSequence();
        _ = sequence.ReadEncodedValue();
        _ = sequence.ReadEncodedValue();
        _ = sequence.ReadEncodedValue();
        AsnReader ticket = sequence.ReadSequence(KerberosAsn1.Context(3)).ReadSequence(KerberosAsn1.Application(1)).ReadSequence();
        _ = ticket.ReadEncodedValue();
        _ = ticket.ReadEncodedValue();
        _ = ticket.ReadEncodedValue();
        EncryptedData encrypted = EncryptedData.Read(ticket, 3);
        byte[] plain = Cipher(encrypted.EncryptionType).Decrypt(serviceKey, 2, encrypted.Cipher); // usage 2: ticket enc-part

        // EncTicketPart [APPLICATION 3] { flags [0], key [1] EncryptionKey, ... }.
        AsnReader part = new AsnReader(plain, AsnEncodingRules.DER).ReadSequence(KerberosAsn1.Application(3)).ReadSequence();
        _ = part.ReadEncodedValue();
        using EncryptionKey key = EncryptionKey.Read(part, 1);
        return (key.EncryptionType, key.Value.ToArray());
    }

    private static byte[] ReadApReplyCipher(byte[] apReply)
    {
        AsnReader sequence = new AsnReader(apReply, AsnEncodingRules.DER).ReadSequence(KerberosAsn1.Application(15)).ReadSequence();
        _ = sequence.ReadEncodedValue();
        _ = sequence.ReadEncodedValue();
        return EncryptedData.Read(sequence, 2).Cipher;
    }

    private static byte[] Hex(JsonElement element, string name) => Convert.FromHexString(element.GetProperty(name).GetString()!);
}
