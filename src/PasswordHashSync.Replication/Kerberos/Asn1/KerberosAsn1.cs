using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>
/// The RFC 4120 section 5 building blocks on <see cref="AsnWriter"/> and <see cref="AsnReader"/> (DER): explicit
/// context tags, APPLICATION tags, KerberosString, KerberosTime, Int32 and UInt32.
/// </summary>
internal static class KerberosAsn1
{
    /// <summary>The encoding rules of every Kerberos message.</summary>
    public const AsnEncodingRules Rules = AsnEncodingRules.DER;

    // KerberosString is a GeneralString (universal 27), which System.Formats.Asn1 does not write or read by type.
    private static readonly Asn1Tag s_generalString = new(UniversalTagNumber.GeneralString);
    private static readonly Asn1Tag s_generalStringAsContext = new(TagClass.ContextSpecific, (int)UniversalTagNumber.GeneralString);

    /// <summary>The explicit context tag [n] (constructed).</summary>
    public static Asn1Tag Context(int number) => new(TagClass.ContextSpecific, number, isConstructed: true);

    /// <summary>The APPLICATION n tag (constructed) of a message type.</summary>
    public static Asn1Tag Application(int number) => new(TagClass.Application, number, isConstructed: true);

    /// <summary>Writes [tag] INTEGER.</summary>
    public static void WriteInteger(AsnWriter writer, int tag, long value)
    {
        writer.PushSequence(Context(tag));
        writer.WriteInteger(value);
        writer.PopSequence(Context(tag));
    }

    /// <summary>Writes [tag] OCTET STRING.</summary>
    public static void WriteOctets(AsnWriter writer, int tag, ReadOnlySpan<byte> value)
    {
        writer.PushSequence(Context(tag));
        writer.WriteOctetString(value);
        writer.PopSequence(Context(tag));
    }

    /// <summary>Writes [tag] KerberosString.</summary>
    public static void WriteString(AsnWriter writer, int tag, string value)
    {
        writer.PushSequence(Context(tag));
        WriteKerberosString(writer, value);
        writer.PopSequence(Context(tag));
    }

    /// <summary>Writes a KerberosString (GeneralString holding UTF-8, RFC 4120 5.2.1).</summary>
    public static void WriteKerberosString(AsnWriter writer, string value)
    {
        // Encode as a context-specific primitive [27] (AsnWriter computes the length), then give the identifier octet
        // the universal class: 0x9B becomes 0x1B, GeneralString. The content octets are identical.
        var inner = new AsnWriter(Rules);
        inner.WriteOctetString(System.Text.Encoding.UTF8.GetBytes(value), s_generalStringAsContext);
        byte[] encoded = inner.Encode();
        encoded[0] = 0x1B;
        writer.WriteEncodedValue(encoded);
    }

    /// <summary>Writes [tag] KerberosTime (GeneralizedTime without fractions, RFC 4120 5.2.3).</summary>
    public static void WriteTime(AsnWriter writer, int tag, DateTimeOffset value)
    {
        writer.PushSequence(Context(tag));
        writer.WriteGeneralizedTime(value.ToUniversalTime(), omitFractionalSeconds: true);
        writer.PopSequence(Context(tag));
    }

    /// <summary>Whether the next element carries [tag].</summary>
    public static bool Has(AsnReader reader, int tag) => reader.HasData && reader.PeekTag().HasSameClassAndValue(Context(tag));

    /// <summary>Reads [tag] INTEGER that fits Int32.</summary>
    public static int ReadInt32(AsnReader reader, int tag)
    {
        AsnReader inner = reader.ReadSequence(Context(tag));
        if (!inner.TryReadInt32(out int value))
        {
            throw new AsnContentException("An Int32 field is out of range.");
        }

        inner.ThrowIfNotEmpty();
        return value;
    }

    /// <summary>
    /// Reads [tag] UInt32 (nonce, seq-number). Some implementations encode values of 2^31 and above as negative
    /// 32-bit integers; both forms are accepted and mapped to the same unsigned value.
    /// </summary>
    public static uint ReadUInt32(AsnReader reader, int tag)
    {
        AsnReader inner = reader.ReadSequence(Context(tag));
        BigInteger value = inner.ReadInteger();
        inner.ThrowIfNotEmpty();
        if (value < int.MinValue || value > uint.MaxValue)
        {
            throw new AsnContentException("A UInt32 field is out of range.");
        }

        return value < 0 ? unchecked((uint)(int)value) : (uint)value;
    }

    /// <summary>Reads [tag] OCTET STRING.</summary>
    public static byte[] ReadOctets(AsnReader reader, int tag)
    {
        AsnReader inner = reader.ReadSequence(Context(tag));
        byte[] value = inner.ReadOctetString();
        inner.ThrowIfNotEmpty();
        return value;
    }

    /// <summary>Reads [tag] KerberosString.</summary>
    public static string ReadString(AsnReader reader, int tag)
    {
        AsnReader inner = reader.ReadSequence(Context(tag));
        string value = ReadKerberosString(inner);
        inner.ThrowIfNotEmpty();
        return value;
    }

    /// <summary>Reads a KerberosString (GeneralString; UTF-8 content, invalid sequences replaced).</summary>
    public static string ReadKerberosString(AsnReader reader) => System.Text.Encoding.UTF8.GetString(ReadKerberosStringBytes(reader));

    /// <summary>Reads the content octets of a KerberosString (salts are bytes, not necessarily text).</summary>
    public static byte[] ReadKerberosStringBytes(AsnReader reader)
    {
        Asn1Tag tag = reader.PeekTag();
        if (tag != s_generalString)
        {
            throw new AsnContentException("Expected a KerberosString (GeneralString).");
        }

        // AsnDecoder splits the TLV the reader hands over; no tag restriction applies at that level.
        ReadOnlyMemory<byte> encoded = reader.ReadEncodedValue();
        AsnDecoder.ReadEncodedValue(encoded.Span, Rules, out int contentOffset, out int contentLength, out _);
        return encoded.Span.Slice(contentOffset, contentLength).ToArray();
    }

    /// <summary>Reads [tag] KerberosTime.</summary>
    public static DateTimeOffset ReadTime(AsnReader reader, int tag)
    {
        AsnReader inner = reader.ReadSequence(Context(tag));
        DateTimeOffset value = inner.ReadGeneralizedTime();
        inner.ThrowIfNotEmpty();
        return value;
    }

    /// <summary>Skips the element if it carries [tag]; returns whether it did.</summary>
    public static bool SkipIf(AsnReader reader, int tag)
    {
        if (!Has(reader, tag))
        {
            return false;
        }

        _ = reader.ReadEncodedValue();
        return true;
    }

    /// <summary>Runs a parser over untrusted bytes and turns every decoding failure into <see cref="KerberosException"/>.</summary>
    /// <exception cref="KerberosException">The bytes are not the expected message.</exception>
    public static T Parse<T>(ReadOnlyMemory<byte> data, string what, Func<AsnReader, T> parse)
    {
        try
        {
            var reader = new AsnReader(data, Rules);
            T result = parse(reader);
            reader.ThrowIfNotEmpty();
            return result;
        }
        catch (AsnContentException e)
        {
            throw new KerberosException(string.Create(CultureInfo.InvariantCulture, $"The {what} is malformed ({e.Message})"), e);
        }
    }
}
