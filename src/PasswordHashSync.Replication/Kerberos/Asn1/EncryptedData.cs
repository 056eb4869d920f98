using System.Formats.Asn1;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>EncryptedData (RFC 4120 5.2.9): etype [0], kvno [1] OPTIONAL, cipher [2].</summary>
/// <param name="EncryptionType">The etype.</param>
/// <param name="KeyVersion">The key version number, when present.</param>
/// <param name="Cipher">The ciphertext.</param>
internal sealed record EncryptedData(int EncryptionType, uint? KeyVersion, byte[] Cipher)
{
    /// <summary>The DER of the bare SEQUENCE (a padata value).</summary>
    public byte[] Encode()
    {
        var writer = new AsnWriter(KerberosAsn1.Rules);
        WriteSequence(writer);
        return writer.Encode();
    }

    /// <summary>Writes [tag] EncryptedData.</summary>
    public void Write(AsnWriter writer, int tag)
    {
        writer.PushSequence(KerberosAsn1.Context(tag));
        WriteSequence(writer);
        writer.PopSequence(KerberosAsn1.Context(tag));
    }

    private void WriteSequence(AsnWriter writer)
    {
        writer.PushSequence();
        KerberosAsn1.WriteInteger(writer, 0, EncryptionType);
        if (KeyVersion is uint kvno)
        {
            KerberosAsn1.WriteInteger(writer, 1, kvno);
        }

        KerberosAsn1.WriteOctets(writer, 2, Cipher);
        writer.PopSequence();
    }

    /// <summary>Reads [tag] EncryptedData.</summary>
    public static EncryptedData Read(AsnReader reader, int tag)
    {
        AsnReader outer = reader.ReadSequence(KerberosAsn1.Context(tag));
        EncryptedData value = ReadSequence(outer);
        outer.ThrowIfNotEmpty();
        return value;
    }

    /// <summary>Reads a bare EncryptedData SEQUENCE.</summary>
    public static EncryptedData ReadSequence(AsnReader reader)
    {
        AsnReader sequence = reader.ReadSequence();
        int etype = KerberosAsn1.ReadInt32(sequence, 0);
        uint? kvno = KerberosAsn1.Has(sequence, 1) ? KerberosAsn1.ReadUInt32(sequence, 1) : null;
        byte[] cipher = KerberosAsn1.ReadOctets(sequence, 2);
        sequence.ThrowIfNotEmpty();
        return new EncryptedData(etype, kvno, cipher);
    }
}
