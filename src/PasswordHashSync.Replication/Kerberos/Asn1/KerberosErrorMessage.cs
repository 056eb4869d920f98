using System.Formats.Asn1;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>
/// KRB-ERROR (RFC 4120 5.9.1), APPLICATION 30: error-code [6], the server's time [4]/[5], e-text [11], e-data [12].
/// For KDC_ERR_PREAUTH_REQUIRED the e-data is METHOD-DATA carrying PA-ETYPE-INFO2 (the salt and iteration count).
/// </summary>
/// <param name="ErrorCode">error-code.</param>
/// <param name="ServerTime">stime.</param>
/// <param name="Text">e-text, when present.</param>
/// <param name="Data">e-data, when present.</param>
internal sealed record KerberosErrorMessage(int ErrorCode, DateTimeOffset ServerTime, string? Text, byte[]? Data)
{
    /// <summary>The identifier octet of KRB-ERROR ([APPLICATION 30] constructed).</summary>
    public const byte FirstByte = 0x7E;

    /// <summary>Parses a KRB-ERROR.</summary>
    /// <exception cref="KerberosException">The bytes are not a KRB-ERROR.</exception>
    public static KerberosErrorMessage Parse(ReadOnlyMemory<byte> data) =>
        KerberosAsn1.Parse(data, "KRB-ERROR", reader =>
        {
            AsnReader application = reader.ReadSequence(KerberosAsn1.Application(30));
            AsnReader sequence = application.ReadSequence();
            application.ThrowIfNotEmpty();
            if (KerberosAsn1.ReadInt32(sequence, 0) != 5 || KerberosAsn1.ReadInt32(sequence, 1) != 30)
            {
                throw new AsnContentException("Wrong protocol version or message type.");
            }

            KerberosAsn1.SkipIf(sequence, 2);
            KerberosAsn1.SkipIf(sequence, 3);
            DateTimeOffset serverTime = KerberosAsn1.ReadTime(sequence, 4);
            _ = KerberosAsn1.ReadInt32(sequence, 5);
            int errorCode = KerberosAsn1.ReadInt32(sequence, 6);
            KerberosAsn1.SkipIf(sequence, 7);
            KerberosAsn1.SkipIf(sequence, 8);
            _ = KerberosAsn1.ReadString(sequence, 9);
            _ = KerberosPrincipalName.Read(sequence, 10);
            string? text = KerberosAsn1.Has(sequence, 11) ? KerberosAsn1.ReadString(sequence, 11) : null;
            byte[]? eData = KerberosAsn1.Has(sequence, 12) ? KerberosAsn1.ReadOctets(sequence, 12) : null;
            sequence.ThrowIfNotEmpty();
            return new KerberosErrorMessage(errorCode, serverTime, text, eData);
        });

    /// <summary>The PA-ETYPE-INFO2 entries of the e-data, or an empty list when there are none or the e-data is not METHOD-DATA.</summary>
    public IReadOnlyList<EtypeInfo2Entry> GetEtypeInfo2()
    {
        if (Data is null)
        {
            return [];
        }

        try
        {
            var reader = new AsnReader(Data, KerberosAsn1.Rules);
            IReadOnlyList<(int Type, byte[] Value)> methods = KdcReply.ReadMethodData(reader);
            reader.ThrowIfNotEmpty();
            return EtypeInfo2Entry.FromPreauthentication(methods);
        }
        catch (AsnContentException)
        {
            // Windows puts other structures (KERB-ERROR-DATA) in e-data for some codes; they carry no salt.
            return [];
        }
    }
}
