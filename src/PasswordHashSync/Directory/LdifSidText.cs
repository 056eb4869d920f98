using System.Buffers.Binary;

namespace PasswordHashSync.Directory;

/// <summary>The <c>S-1-5-21-…</c> text form of a SID (MS-DTYP 2.4.2.1) as LDIF exports may write <c>objectSid</c>.</summary>
internal static class LdifSidText
{
    private const int MaxParts = 18;

    /// <summary>The binary SID, or <see langword="null"/> when the text is not a SID (decimal parts only, canonical form).</summary>
    public static byte[]? Parse(ReadOnlySpan<char> text)
    {
        // "S", the revision, the authority, then at most 15 sub-authorities; the parts are what string.Split('-') gives.
        int parts = text.Count('-') + 1;
        if (parts < 3 || parts > MaxParts)
        {
            return null;
        }

        Span<Range> ranges = stackalloc Range[MaxParts];
        text.Split(ranges, '-');
        if (!text[ranges[0]].Equals("S", StringComparison.OrdinalIgnoreCase)
            || !StrictDecimal.TryParseUInt64(text[ranges[1]], byte.MaxValue, out ulong revision)
            || !StrictDecimal.TryParseUInt64(text[ranges[2]], (1UL << 48) - 1, out ulong authority))
        {
            return null;
        }

        int count = parts - 3;
        byte[] sid = new byte[8 + (4 * count)];
        sid[0] = (byte)revision;
        sid[1] = (byte)count;
        for (int i = 0; i < 6; i++)
        {
            sid[2 + i] = (byte)(authority >> (8 * (5 - i)));
        }

        for (int i = 0; i < count; i++)
        {
            if (!StrictDecimal.TryParseUInt64(text[ranges[3 + i]], uint.MaxValue, out ulong sub))
            {
                return null;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(sid.AsSpan(8 + (4 * i)), (uint)sub);
        }

        return sid;
    }
}
