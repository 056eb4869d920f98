using System.Formats.Asn1;
using PasswordHashSync.Replication.Kerberos.Asn1;

namespace PasswordHashSync.UnitTests.Replication.Kerberos;

/// <summary>Well-formed KDC messages built field by field after RFC 4120 5.4.2 and 5.9.1, for parser tests and as seeds for mutation.</summary>
internal static class KerberosTestMessages
{
    public static byte[] EtypeInfo2(int etype, byte[] salt, byte[] parameters)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.PushSequence();
        writer.PushSequence();
        KerberosAsn1.WriteInteger(writer, 0, etype);
        writer.PushSequence(KerberosAsn1.Context(1));
        KerberosAsn1.WriteKerberosString(writer, System.Text.Encoding.UTF8.GetString(salt));
        writer.PopSequence(KerberosAsn1.Context(1));
        KerberosAsn1.WriteOctets(writer, 2, parameters);
        writer.PopSequence();
        writer.PopSequence();
        byte[] info = writer.Encode();

        var methods = new AsnWriter(AsnEncodingRules.DER);
        methods.PushSequence();
        methods.PushSequence();
        KerberosAsn1.WriteInteger(methods, 1, KdcRequest.PaEtypeInfo2);
        KerberosAsn1.WriteOctets(methods, 2, info);
        methods.PopSequence();
        methods.PopSequence();
        return methods.Encode();
    }

    public static byte[] KrbError(int code, byte[]? eData)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.PushSequence(KerberosAsn1.Application(30));
        writer.PushSequence();
        KerberosAsn1.WriteInteger(writer, 0, 5);
        KerberosAsn1.WriteInteger(writer, 1, 30);
        KerberosAsn1.WriteTime(writer, 4, new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        KerberosAsn1.WriteInteger(writer, 5, 12);
        KerberosAsn1.WriteInteger(writer, 6, code);
        KerberosAsn1.WriteString(writer, 9, "EXAMPLE.COM");
        KerberosPrincipalName.Service("krbtgt", "EXAMPLE.COM").Write(writer, 10);
        KerberosAsn1.WriteString(writer, 11, "error text");
        if (eData is not null)
        {
            KerberosAsn1.WriteOctets(writer, 12, eData);
        }

        writer.PopSequence();
        writer.PopSequence(KerberosAsn1.Application(30));
        return writer.Encode();
    }

    public static byte[] Ticket()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.PushSequence(KerberosAsn1.Application(1));
        writer.PushSequence();
        KerberosAsn1.WriteInteger(writer, 0, 5);
        KerberosAsn1.WriteString(writer, 1, "EXAMPLE.COM");
        KerberosPrincipalName.Service("krbtgt", "EXAMPLE.COM").Write(writer, 2);
        new EncryptedData(18, 2, new byte[60]).Write(writer, 3);
        writer.PopSequence();
        writer.PopSequence(KerberosAsn1.Application(1));
        return writer.Encode();
    }

    public static byte[] AsReply()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.PushSequence(KerberosAsn1.Application(11));
        writer.PushSequence();
        KerberosAsn1.WriteInteger(writer, 0, 5);
        KerberosAsn1.WriteInteger(writer, 1, 11);
        writer.PushSequence(KerberosAsn1.Context(2));
        writer.WriteEncodedValue(EtypeInfo2(18, "EXAMPLE.COMalice"u8.ToArray(), [0, 0, 0x10, 0])); // SEQUENCE OF PA-DATA
        writer.PopSequence(KerberosAsn1.Context(2));
        KerberosAsn1.WriteString(writer, 3, "EXAMPLE.COM");
        KerberosPrincipalName.User("alice").Write(writer, 4);
        writer.PushSequence(KerberosAsn1.Context(5));
        writer.WriteEncodedValue(Ticket());
        writer.PopSequence(KerberosAsn1.Context(5));
        new EncryptedData(18, 1, new byte[80]).Write(writer, 6);
        writer.PopSequence();
        writer.PopSequence(KerberosAsn1.Application(11));
        return writer.Encode();
    }
}
