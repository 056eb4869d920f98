using System.Buffers.Binary;
using System.Formats.Asn1;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>
/// ETYPE-INFO2-ENTRY (RFC 4120 5.2.7.5): etype [0], salt [1] KerberosString OPTIONAL, s2kparams [2] OCTET STRING
/// OPTIONAL. For AES the s2kparams are the 4-byte big-endian iteration count (RFC 3962 4, RFC 8009 4).
/// </summary>
/// <param name="EncryptionType">The etype the KDC holds a key of.</param>
/// <param name="Salt">The salt bytes, or <see langword="null"/> for the default salt (realm followed by the name components).</param>
/// <param name="StringToKeyParameters">s2kparams, when present.</param>
internal sealed record EtypeInfo2Entry(int EncryptionType, byte[]? Salt, byte[]? StringToKeyParameters)
{
    /// <summary>The iteration count from s2kparams, or <see langword="null"/> for the type's default.</summary>
    /// <exception cref="KerberosException">s2kparams are not 4 bytes (the only form the AES types define).</exception>
    public int? GetIterationCount()
    {
        if (StringToKeyParameters is null)
        {
            return null;
        }

        if (StringToKeyParameters.Length != 4)
        {
            throw new KerberosException("The KDC sent string-to-key parameters of an unknown form (not a 4-byte iteration count).");
        }

        uint count = BinaryPrimitives.ReadUInt32BigEndian(StringToKeyParameters);
        if (count is 0 or > PasswordHashSync.Kerberos.KerberosKeyDerivation.MaxIterationCount)
        {
            throw new KerberosException($"The KDC asked for {count} string-to-key iterations, outside the accepted 1 to {PasswordHashSync.Kerberos.KerberosKeyDerivation.MaxIterationCount}.");
        }

        return (int)count;
    }

    /// <summary>The entries of every PA-ETYPE-INFO2 in <paramref name="preauthentication"/>.</summary>
    /// <exception cref="AsnContentException">A PA-ETYPE-INFO2 value is malformed.</exception>
    public static IReadOnlyList<EtypeInfo2Entry> FromPreauthentication(IReadOnlyList<(int Type, byte[] Value)> preauthentication)
    {
        var entries = new List<EtypeInfo2Entry>();
        foreach ((int type, byte[] value) in preauthentication)
        {
            if (type != KdcRequest.PaEtypeInfo2)
            {
                continue;
            }

            var reader = new AsnReader(value, KerberosAsn1.Rules);
            AsnReader list = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (list.HasData)
            {
                AsnReader entry = list.ReadSequence();
                int etype = KerberosAsn1.ReadInt32(entry, 0);
                byte[]? salt = null;
                if (KerberosAsn1.Has(entry, 1))
                {
                    AsnReader saltTag = entry.ReadSequence(KerberosAsn1.Context(1));
                    salt = KerberosAsn1.ReadKerberosStringBytes(saltTag);
                    saltTag.ThrowIfNotEmpty();
                }

                byte[]? parameters = KerberosAsn1.Has(entry, 2) ? KerberosAsn1.ReadOctets(entry, 2) : null;
                entry.ThrowIfNotEmpty();
                entries.Add(new EtypeInfo2Entry(etype, salt, parameters));
            }
        }

        return entries;
    }
}
