using System.Formats.Asn1;
using System.Security.Cryptography;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>EncryptionKey (RFC 4120 5.2.9): keytype [0], keyvalue [1]. Holds a secret: dispose it to zero the bytes.</summary>
internal sealed class EncryptionKey : IDisposable
{
    /// <summary>Wraps a copy of <paramref name="value"/>.</summary>
    public EncryptionKey(int encryptionType, ReadOnlySpan<byte> value)
    {
        EncryptionType = encryptionType;
        Value = value.ToArray();
    }

    /// <summary>The etype.</summary>
    public int EncryptionType { get; }

    /// <summary>The key bytes (zeroed on dispose).</summary>
    public byte[] Value { get; }

    /// <summary>A fresh random key of <paramref name="length"/> bytes (random-to-key is the identity for AES and RC4).</summary>
    public static EncryptionKey Random(int encryptionType, int length)
    {
        Span<byte> bytes = stackalloc byte[length];
        RandomNumberGenerator.Fill(bytes);
        var key = new EncryptionKey(encryptionType, bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return key;
    }

    /// <summary>Writes [tag] EncryptionKey.</summary>
    public void Write(AsnWriter writer, int tag)
    {
        writer.PushSequence(KerberosAsn1.Context(tag));
        writer.PushSequence();
        KerberosAsn1.WriteInteger(writer, 0, EncryptionType);
        KerberosAsn1.WriteOctets(writer, 1, Value);
        writer.PopSequence();
        writer.PopSequence(KerberosAsn1.Context(tag));
    }

    /// <summary>Reads [tag] EncryptionKey.</summary>
    public static EncryptionKey Read(AsnReader reader, int tag)
    {
        AsnReader outer = reader.ReadSequence(KerberosAsn1.Context(tag));
        AsnReader sequence = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        int etype = KerberosAsn1.ReadInt32(sequence, 0);
        byte[] value = KerberosAsn1.ReadOctets(sequence, 1);
        sequence.ThrowIfNotEmpty();
        try
        {
            return new EncryptionKey(etype, value);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(value);
        }
    }

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(Value);

    /// <inheritdoc />
    public override string ToString() => $"EncryptionKey(etype {EncryptionType})";
}
