using System.Buffers.Binary;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Crypto;
using PasswordHashSync.Replication.Kerberos.Gss;

namespace PasswordHashSync.PropertyTests.KerberosParsers;

/// <summary>
/// The unmutated MIT krb5 samples the fuzz properties start from parse, decrypt and verify: so a mutation's failure
/// is the mutation's, and the parsers read what a real KDC, kadmin/ktutil and GSS-API acceptor wrote.
/// </summary>
public class MitKerberosVectorTests
{
    private static MitKerberosVectors V => MitKerberosVectors.Instance;

    [Fact]
    public void Krb_errors_parse_with_the_codes_kinit_provoked()
    {
        int[] codes = [.. V.KrbErrors.Select(e => KerberosErrorMessage.Parse(e).ErrorCode)];

        // Preauth required (alice, bob, carol, and alice with the wrong password), preauth failed, client unknown.
        Assert.Equal(4, codes.Count(c => c == 25));
        Assert.Contains(24, codes);
        Assert.Contains(6, codes);
        KerberosErrorMessage required = KerberosErrorMessage.Parse(V.KrbErrors[0]);
        EtypeInfo2Entry entry = required.GetEtypeInfo2()[0];
        Assert.Equal(18, entry.EncryptionType);
        Assert.Equal("PHS.TESTalice"u8.ToArray(), entry.Salt);
        Assert.Null(entry.GetIterationCount());
    }

    [Fact]
    public void As_and_tgs_replies_parse_and_decrypt_under_the_keys_mit_exported()
    {
        Assert.Equal(3, V.AsReplies.Length);
        Assert.Equal(2, V.TgsReplies.Length);
        int[] etypes = [.. V.AsReplies.Select(r => KdcReply.Parse(r, KdcReply.AsReply).EncryptedPart.EncryptionType)];
        Assert.Equal([18, 20, 17], etypes);
        foreach (byte[] part in V.EncKdcReplyParts)
        {
            using EncKdcReplyPart parsed = EncKdcReplyPart.Parse(part);
            Assert.Equal("PHS.TEST", parsed.ServerRealm);
            Assert.True(parsed.EndTime > parsed.AuthTime);
        }

        KdcReply tgs = KdcReply.Parse(V.TgsReplies[0], KdcReply.TgsReply);
        Assert.Equal(["host", "dc1.phs.test"], tgs.Ticket.ServerName.Components);
        Assert.Equal(["alice"], tgs.ClientName.Components);
    }

    [Fact]
    public void Keytabs_of_kadmin_and_ktutil_read_and_agree()
    {
        foreach ((string name, byte[] keytab) in V.Keytabs)
        {
            Assert.NotEmpty(KeytabReader.Read(keytab));
        }

        // ktutil derived alice's AES256 key from her password; kadmin exported the KDC's: the same bytes.
        KeytabReader.Entry fromKtutil = KeytabReader.Read(V.Keytabs["alice-ktutil"]).Single(e => e.EncryptionType == 18);
        KeytabReader.Entry fromKdc = KeytabReader.Read(V.Keytabs["alice-kadmin"]).Single(e => e.EncryptionType == 18);
        Assert.Equal(fromKdc.Key, fromKtutil.Key);
        Assert.Equal("alice@PHS.TEST", fromKtutil.Principal);

        // After ktremove the old key version is a hole (negative size) that the reader steps over.
        Assert.True(BinaryPrimitives.ReadInt32BigEndian(V.Keytabs["rotated-with-hole-kadmin"].AsSpan(2)) < 0);
        Assert.All(KeytabReader.Read(V.Keytabs["rotated-with-hole-kadmin"]), e => Assert.Equal("ldap/dc1.phs.test@PHS.TEST", e.Principal));
    }

    [Fact]
    public void Gss_ap_reply_decrypts_to_the_acceptor_subkey_and_the_wrap_tokens_unseal()
    {
        using var sessionKey = new EncryptionKey(V.TicketSessionKeyType, V.TicketSessionKey);
        using ApReply reply = ApReply.Decrypt(V.ApReply, sessionKey, allowRc4: false);
        Assert.NotNull(reply.Subkey);
        Assert.NotNull(reply.SequenceNumber);
        foreach ((byte[] token, byte[] plaintext) in V.AcceptorWraps)
        {
            Assert.Equal(plaintext, Unseal(token, plaintext.Length, KerberosKeyUsage.AcceptorSeal, CfxWrapToken.SentByAcceptor | CfxWrapToken.Sealed));
            Assert.Equal(reply.SequenceNumber!.Value, (uint)BinaryPrimitives.ReadUInt64BigEndian(V.AcceptorWraps[0].Token.AsSpan(8)));
        }

        foreach ((byte[] token, byte[] plaintext) in V.InitiatorWraps)
        {
            Assert.Equal(plaintext, Unseal(token, plaintext.Length, KerberosKeyUsage.InitiatorSeal, CfxWrapToken.Sealed));
        }
    }

    [Fact]
    public void The_secret_scan_finds_a_key_as_hex_or_base64()
    {
        // The oracle of every property must be able to fail.
        byte[] key = V.AcceptorSubkey;
        Assert.True(KerberosFuzz.HoldsSecretBytes($"bad key {Convert.ToHexString(key)} here"));
        Assert.True(KerberosFuzz.HoldsSecretBytes($"bad key {Convert.ToHexString(key).ToLowerInvariant()[1..]}"));
        Assert.True(KerberosFuzz.HoldsSecretBytes($"bad key {Convert.ToBase64String(key.AsSpan(3).ToArray())}."));
        Assert.False(KerberosFuzz.HoldsSecretBytes("The AS-REP is malformed (0123456789ABCDEF0123)"));
    }

    /// <summary>
    /// Unseals a standard RFC 4121 token (MIT: EC 0, RRC 0) through the DCE-style entry point: with no rotation the
    /// last <paramref name="dataLength"/> bytes of the token are E(data)'s place, so they are the "PDU stub" part.
    /// </summary>
    internal static byte[] Unseal(byte[] token, int dataLength, int usage, byte requiredFlags)
    {
        byte[] data = token.AsSpan(token.Length - dataLength).ToArray();
        ulong sequence = BinaryPrimitives.ReadUInt64BigEndian(token.AsSpan(8));
        CfxWrapToken.Unseal(MitKerberosVectors.Cipher(V.AcceptorSubkeyType), V.AcceptorSubkey, usage, requiredFlags, sequence, data, token.AsSpan(0, token.Length - dataLength));
        return data;
    }
}
