using PasswordHashSync.Kerberos;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// Whether a <c>KERB_STORED_CREDENTIAL</c> (<c>Primary:Kerberos</c>, MS-SAMR 2.2.10.4) would add any key to the
/// current keys already read from <c>Primary:Kerberos-Newer-Keys</c>, answered from the property's hex where it lies.
/// </summary>
/// <remarks>
/// A DC writes the same DES keys in both properties, so <see cref="SupplementalCredentialsBlob.GetCurrentKerberosKeys"/>
/// drops every key of <c>Primary:Kerberos</c> as a duplicate: parsing it (every key copied into a pinned array twice,
/// then zeroed and dropped) cost a tenth of <c>pwsync sync</c>'s CPU in a profile. <see cref="Check"/> applies the checks
/// of <see cref="KerberosStoredCredential.Parse"/> (revision 3, the header, every entry, the keys' total and the salt
/// inside the structure, an even salt length) and reports <see cref="Outcome.Redundant"/> only when the structure
/// passes them and none of its supported current keys has a type not already present; anything else sends the caller
/// to the full parser, which gives the keys or the exception it always gave.
/// </remarks>
internal static class KerberosStoredHexCheck
{
    private const int HeaderSize = 16;
    private const int EntrySize = 20;

    /// <summary>What <see cref="Check"/> found.</summary>
    public enum Outcome
    {
        /// <summary>Not what the fast check accepts (the full parser decides: keys or its exception).</summary>
        Irregular,

        /// <summary>Regular, and a supported current key has a type not in the list (the full parser gives it).</summary>
        Contributes,

        /// <summary>Regular, and every supported current key's type is already in the list: nothing to add.</summary>
        Redundant,
    }

    /// <summary>Checks the structure against the keys read so far.</summary>
    /// <param name="hex">The property value: hex digits (already checked), two per byte.</param>
    /// <param name="keys">The current keys from <c>Primary:Kerberos-Newer-Keys</c> (possibly none).</param>
    /// <returns>The outcome.</returns>
    public static Outcome Check(ReadOnlySpan<byte> hex, IReadOnlyList<KerberosKey> keys)
    {
        int length = hex.Length / 2;
        if (length < HeaderSize || HexFields.UInt16(hex, 0) != KerberosStoredCredential.Revision)
        {
            return Outcome.Irregular;
        }

        int current = HexFields.UInt16(hex, 4);
        int total = current + HexFields.UInt16(hex, 6);
        uint saltLength = HexFields.UInt16(hex, 8);
        uint saltOffset = HexFields.UInt32(hex, 12);
        if ((long)total * EntrySize > length - HeaderSize || !Fits(saltOffset, saltLength, length) || saltLength % 2 != 0)
        {
            return Outcome.Irregular;
        }

        long keyBytes = 0;
        var outcome = Outcome.Redundant;
        for (int i = 0; i < total; i++)
        {
            int entry = HeaderSize + (i * EntrySize);
            uint keyLength = HexFields.UInt32(hex, entry + 12);
            keyBytes += keyLength;
            if (!Fits(HexFields.UInt32(hex, entry + 16), keyLength, length) || keyBytes > length)
            {
                return Outcome.Irregular;
            }

            var type = (KerberosEncryptionType)(int)HexFields.UInt32(hex, entry + 8);
            if (i < current && KerberosEncryptionTypes.IsSupported(type) && KerberosEncryptionTypes.GetKeySize(type) == keyLength && !Has(keys, type))
            {
                outcome = Outcome.Contributes;
            }
        }

        return outcome;
    }

    private static bool Has(IReadOnlyList<KerberosKey> keys, KerberosEncryptionType type)
    {
        for (int i = 0; i < keys.Count; i++)
        {
            if (keys[i].EncryptionType == type)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Fits(uint offset, uint length, int size) => offset <= size && length <= size - offset;
}
