using System.Formats.Asn1;
using FsCheck.Xunit;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Asn1;

namespace PasswordHashSync.PropertyTests.KerberosParsers;

/// <summary>
/// Rule: every RFC 4120 message parser lets only <see cref="KerberosException"/> escape whatever a KDC or server sends
/// (EtypeInfo2Entry.FromPreauthentication: its documented AsnContentException), allocates no more than the input
/// pays for, and names no key, ticket or password. Inputs: random bytes and DER-aware mutations of real MIT krb5
/// messages (<see cref="MitKerberosVectors"/>). 100 seeds × <see cref="KerberosFuzz.InputsPerSeed"/> inputs
/// (100 000) per property; PHS_FUZZ_INPUTS_PER_SEED=10000 gives the 1 000 000 of a run by hand.
/// </summary>
public class KerberosAsn1ParserProperties
{
    private static readonly Lazy<byte[][]> s_kdcReplies = new(() => [.. V.AsReplies, .. V.TgsReplies, .. V.KrbErrors]);

    private static MitKerberosVectors V => MitKerberosVectors.Instance;

    [Property(MaxTest = 100)]
    public void Kdc_replies_and_krb_errors_throw_only_KerberosException(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            byte[] input = KerberosFuzz.Next(random, s_kdcReplies.Value);
            KerberosFuzz.Only<KerberosException>(input.Length, () => _ = KdcReply.Parse(input, KdcReply.AsReply));
            KerberosFuzz.Only<KerberosException>(input.Length, () => _ = KdcReply.Parse(input, KdcReply.TgsReply));
            KerberosFuzz.Only<KerberosException>(input.Length, () =>
            {
                KerberosErrorMessage error = KerberosErrorMessage.Parse(input);
                foreach (EtypeInfo2Entry entry in error.GetEtypeInfo2())
                {
                    _ = entry.GetIterationCount();
                }
            });
        }
    }

    [Property(MaxTest = 100)]
    public void Kdc_reply_decryption_as_the_client_does_it_throws_only_KerberosException(int seed)
    {
        // The AS client path: parse, decrypt the enc-part with the reply key, parse the EncASRepPart. A mutation
        // of the header or ticket reaches the decryption; one of the ciphertext must fail its integrity check.
        var random = new Random(seed);
        for (int i = 0; i < KerberosFuzz.InputsPerSeed / 2; i++)
        {
            (byte[] reply, int etype, byte[] key) = V.ReplyKeys[random.Next(V.ReplyKeys.Count)];
            byte[] input = KerberosFuzz.Mutate(reply, random);
            KerberosFuzz.Only<KerberosException>(input.Length, () =>
            {
                KdcReply parsed = KdcReply.Parse(input, KdcReply.AsReply);
                byte[] plain = KerberosCiphersFor(parsed.EncryptedPart.EncryptionType, etype).Decrypt(key, KerberosKeyUsageAsReply, parsed.EncryptedPart.Cipher);
                EncKdcReplyPart.Parse(plain).Dispose();
            });
        }
    }

    [Property(MaxTest = 100)]
    public void Enc_kdc_reply_parts_throw_only_KerberosException(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            byte[] input = KerberosFuzz.Next(random, V.EncKdcReplyParts);
            KerberosFuzz.Only<KerberosException>(input.Length, () => EncKdcReplyPart.Parse(input).Dispose());
        }
    }

    [Property(MaxTest = 100)]
    public void Ap_replies_throw_only_KerberosException(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            byte[] reply = KerberosFuzz.Next(random, [V.ApReply]);
            using var sessionKey = new EncryptionKey(V.TicketSessionKeyType, V.TicketSessionKey);
            KerberosFuzz.Only<KerberosException>(reply.Length, () => ApReply.Decrypt(reply, sessionKey, allowRc4: false).Dispose());
            byte[] part = KerberosFuzz.Next(random, [V.EncApReplyPart]);
            KerberosFuzz.Only<KerberosException>(part.Length, () => ApReply.ParseEncryptedPart(part).Dispose());
        }
    }

    [Property(MaxTest = 100)]
    public void Building_blocks_throw_only_KerberosException(int seed)
    {
        // Ticket, EncryptedData, EncryptionKey and PrincipalName on their own, each from the real messages.
        var random = new Random(seed);
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            byte[] ticket = KerberosFuzz.Next(random, Samples.Value.Tickets);
            KerberosFuzz.Only<KerberosException>(ticket.Length, () => _ = KerberosAsn1.Parse(ticket, "Ticket", KerberosTicket.Read).ToString());
            byte[] encrypted = KerberosFuzz.Next(random, Samples.Value.EncryptedData);
            KerberosFuzz.Only<KerberosException>(encrypted.Length, () => _ = KerberosAsn1.Parse(encrypted, "EncryptedData", EncryptedData.ReadSequence));
            byte[] key = KerberosFuzz.Next(random, Samples.Value.Keys);
            KerberosFuzz.Only<KerberosException>(key.Length, () => KerberosAsn1.Parse(key, "EncryptionKey", r => EncryptionKey.Read(r, 0)).Dispose());
            byte[] name = KerberosFuzz.Next(random, Samples.Value.Names);
            KerberosFuzz.Only<KerberosException>(name.Length, () => _ = KerberosAsn1.Parse(name, "PrincipalName", r => KerberosPrincipalName.Read(r, 4)).ToString());
        }
    }

    [Property(MaxTest = 100)]
    public void Etype_info2_throws_only_its_documented_exceptions(int seed)
    {
        // FromPreauthentication documents AsnContentException (its callers wrap it); GetIterationCount KerberosException.
        var random = new Random(seed);
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            byte[] value = KerberosFuzz.Next(random, Samples.Value.EtypeInfo2);
            KerberosFuzz.Only<AsnContentException>(value.Length, () =>
            {
                foreach (EtypeInfo2Entry entry in EtypeInfo2Entry.FromPreauthentication([(19, value)]))
                {
                    KerberosFuzz.Only<KerberosException>(value.Length, () => _ = entry.GetIterationCount());
                }
            });
        }
    }

    private const int KerberosKeyUsageAsReply = 3;

    private static readonly Lazy<BuildingBlocks> Samples = new(() => new BuildingBlocks());

    private static PasswordHashSync.Replication.Kerberos.Crypto.KerberosCipher KerberosCiphersFor(int declared, int actual) =>
        declared == actual ? MitKerberosVectors.Cipher(actual) : throw new KerberosException("The reply's enc-part is of another type than the reply key.");

    /// <summary>The TLVs of single fields cut out of the real messages (each a complete DER element).</summary>
    private sealed class BuildingBlocks
    {
        public BuildingBlocks()
        {
            foreach (byte[] reply in V.AsReplies.Concat(V.TgsReplies))
            {
                AsnReader sequence = Body(reply);
                while (sequence.HasData)
                {
                    Asn1Tag tag = sequence.PeekTag();
                    byte[] element = sequence.ReadEncodedValue().ToArray();
                    if (tag.HasSameClassAndValue(KerberosAsn1.Context(4)))
                    {
                        Names.Add(element);
                    }
                    else if (tag.HasSameClassAndValue(KerberosAsn1.Context(5)))
                    {
                        Tickets.Add(new AsnReader(element, AsnEncodingRules.DER).ReadSequence(tag).ReadEncodedValue().ToArray());
                    }
                    else if (tag.HasSameClassAndValue(KerberosAsn1.Context(6)))
                    {
                        EncryptedData.Add(new AsnReader(element, AsnEncodingRules.DER).ReadSequence(tag).ReadEncodedValue().ToArray());
                    }
                }
            }

            foreach (byte[] part in V.EncKdcReplyParts)
            {
                Keys.Add(Body(part).ReadEncodedValue().ToArray()); // key [0] comes first
            }

            foreach (byte[] error in V.KrbErrors)
            {
                KerberosErrorMessage parsed = KerberosErrorMessage.Parse(error);
                if (parsed.Data is not null && parsed.ErrorCode == 25)
                {
                    var reader = new AsnReader(parsed.Data, AsnEncodingRules.DER);
                    EtypeInfo2.AddRange(KdcReply.ReadMethodData(reader).Where(m => m.Type == 19).Select(m => m.Value));
                }
            }

            Assert.All(new[] { Names, Tickets, EncryptedData, Keys, EtypeInfo2 }, list => Assert.NotEmpty(list));
        }

        public List<byte[]> Names { get; } = [];

        public List<byte[]> Tickets { get; } = [];

        public List<byte[]> EncryptedData { get; } = [];

        public List<byte[]> Keys { get; } = [];

        public List<byte[]> EtypeInfo2 { get; } = [];

        private static AsnReader Body(byte[] message)
        {
            var reader = new AsnReader(message, AsnEncodingRules.DER);
            return reader.ReadSequence(reader.PeekTag()).ReadSequence();
        }
    }
}
