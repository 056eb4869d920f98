using System.Formats.Asn1;
using System.Globalization;
using System.Text;
using PasswordHashSync.PropertyTests.KerberosParsers;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Ldap;

namespace PasswordHashSync.PropertyTests;

/// <summary>
/// Rule: the two replication parsers not covered elsewhere refuse hostile input with their documented result. The
/// stored watermark (<see cref="ReplicationCookie"/>, read back from the state file) round-trips every cookie and
/// answers any other text with <c>TryParse</c> false or <see cref="FormatException"/>; the rootDSE reply reader
/// (<see cref="RootDseMessages"/>, fed by an unauthenticated LDAP server) lets only <see cref="InvalidDataException"/>
/// escape. 100 000 inputs each in CI; PHS_FUZZ_INPUTS_PER_SEED × 100 for longer runs by hand.
/// </summary>
public sealed class WatermarkAndRootDseFuzzProperties
{
    private static int Count => KerberosFuzz.InputsPerSeed * 100;

    [Fact]
    public void Every_cookie_round_trips_through_its_text()
    {
        var random = new Random(20261204);
        for (int i = 0; i < Count / 10; i++)
        {
            ReplicationCookie cookie = RandomCookie(random);
            string text = cookie.ToString();
            Assert.True(ReplicationCookie.TryParse(text, out ReplicationCookie? back), text);
            Assert.Equal(cookie, back);
            Assert.Equal(text, back.ToString());
        }
    }

    [Fact]
    public void Mutated_cookie_text_is_refused_or_read_canonically_and_never_throws_anything_else()
    {
        var random = new Random(4121);
        for (int i = 0; i < Count; i++)
        {
            string text = Mutate(RandomCookie(random).ToString(), random);
            bool parsed;
            try
            {
                parsed = ReplicationCookie.TryParse(text, out ReplicationCookie? cookie);
                if (parsed)
                {
                    // Whatever was accepted writes a text that reads back as the same cookie.
                    Assert.True(ReplicationCookie.TryParse(cookie!.ToString(), out ReplicationCookie? again), text);
                    Assert.Equal(cookie, again);
                }
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"TryParse threw {e.GetType().Name} for input {i}: {text}", e);
            }

            if (!parsed)
            {
                Assert.Throws<FormatException>(() => ReplicationCookie.Parse(text));
            }
        }
    }

    [Fact]
    public void RootDse_replies_random_or_mutated_give_only_InvalidDataException()
    {
        var random = new Random(4511);
        byte[][] samples = [Entry(7, "dnsHostName", "dc1.contoso.com"), Done(7, 0), Done(7, 32), Reference(7), Entry(7, "dnsHostName", "ünïcode.example")];
        Assert.Equal(RootDseMessages.ReplyKind.Entry, RootDseMessages.ParseReply(samples[0], 7, "dnsHostName", out string? host));
        Assert.Equal("dc1.contoso.com", host);

        for (int i = 0; i < Count; i++)
        {
            byte[] input = random.Next(3) == 0 ? KerberosFuzz.RandomBytes(random) : KerberosFuzz.Mutate(samples[random.Next(samples.Length)], random);
            try
            {
                int length = RootDseMessages.GetMessageLength(input, 64 * 1024);
                Assert.InRange(length, 0, 64 * 1024);
            }
            catch (InvalidDataException)
            {
            }

            try
            {
                RootDseMessages.ParseReply(input, 7, "dnsHostName", out string? value);
                Assert.True(value is null || Encoding.UTF8.GetByteCount(value) <= RootDseMessages.MaxValueLength);
            }
            catch (InvalidDataException)
            {
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"ParseReply threw {e.GetType().Name} for input {i}: {Convert.ToHexString(input)}", e);
            }
        }
    }

    private static ReplicationCookie RandomCookie(Random random)
    {
        string[] parts = ["DC=contoso,DC=com", "DC=ex,DC=test", "OU=Ünïcode,DC=x", "DC=a;b=c,DC=d", string.Empty];
        string nc = random.Next(4) == 0 ? new string((char)random.Next(0x21, 0x7F), random.Next(1, 40)) : parts[random.Next(parts.Length - 1)];
        long Usn() => random.Next(4) == 0 ? random.NextInt64() : random.Next(0, 1_000_000);
        var cursors = new ReplicationCursor[random.Next(0, 4)];
        for (int c = 0; c < cursors.Length; c++)
        {
            cursors[c] = new ReplicationCursor(Guid.NewGuid(), Usn());
        }

        return new ReplicationCookie(nc, Guid.NewGuid(), Usn(), Usn(), Usn(), cursors);
    }

    private static string Mutate(string text, Random random)
    {
        var chars = new StringBuilder(text);
        const string interesting = ";=:,.-+0123456789abcdefABCDEF \u0000\uFFFD\uD800é";
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            int at = chars.Length == 0 ? 0 : random.Next(chars.Length);
            switch (random.Next(5))
            {
                case 0 when chars.Length > 0:
                    chars[at] = interesting[random.Next(interesting.Length)];
                    break;
                case 1 when chars.Length > 0:
                    chars.Remove(at, Math.Min(chars.Length - at, random.Next(1, 8)));
                    break;
                case 2:
                    chars.Insert(at, interesting[random.Next(interesting.Length)]);
                    break;
                case 3 when chars.Length > 0:
                    chars.Length = at;
                    break;
                default:
                    chars.Insert(at, random.NextInt64().ToString(CultureInfo.InvariantCulture));
                    break;
            }
        }

        return chars.ToString();
    }

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

    private static byte[] Entry(int id, string attribute, string value) => Message(id, w =>
    {
        using (w.PushSequence(new Asn1Tag(TagClass.Application, 4, isConstructed: true)))
        {
            w.WriteOctetString([]);
            using (w.PushSequence())
            {
                using (w.PushSequence())
                {
                    w.WriteOctetString(Encoding.UTF8.GetBytes(attribute));
                    using (w.PushSetOf())
                    {
                        w.WriteOctetString(Encoding.UTF8.GetBytes(value));
                    }
                }
            }
        }
    });

    private static byte[] Done(int id, int resultCode) => Message(id, w =>
    {
        using (w.PushSequence(new Asn1Tag(TagClass.Application, 5, isConstructed: true)))
        {
            w.WriteEnumeratedValue((AsnResultCode)resultCode);
            w.WriteOctetString([]);
            w.WriteOctetString([]);
        }
    });

    private static byte[] Reference(int id) => Message(id, w =>
    {
        using (w.PushSequence(new Asn1Tag(TagClass.Application, 19, isConstructed: true)))
        {
            w.WriteOctetString(Encoding.UTF8.GetBytes("ldap://other.example/"));
        }
    });

    private enum AsnResultCode
    {
        Success = 0,
        NoSuchObject = 32,
    }
}
