namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// Where a stored Kerberos credential put its salt and keys after the entry array. Windows and Samba differ
/// (Windows adds one all-zero entry before the salt, Samba none in revision 4; Windows 2003 pads further), so the
/// parser records the gaps it saw and the writer reproduces them; a credential built in code uses the Windows layout.
/// </summary>
internal sealed class KerberosCredentialLayout
{
    private KerberosCredentialLayout(byte[][] gaps, byte[] trailing)
    {
        Gaps = gaps;
        Trailing = trailing;
    }

    /// <summary>Gaps[0] sits between the entries and the salt, Gaps[i + 1] before key i.</summary>
    public byte[][] Gaps { get; }

    public byte[] Trailing { get; }

    /// <summary>The canonical (Windows 2008+) layout: one zero entry between the entries and the salt, no other padding.</summary>
    public static KerberosCredentialLayout Canonical(int entrySize, int keyCount)
    {
        var gaps = new byte[keyCount + 1][];
        gaps[0] = new byte[entrySize];
        for (int i = 1; i < gaps.Length; i++)
        {
            gaps[i] = [];
        }

        return new KerberosCredentialLayout(gaps, []);
    }

    /// <summary>
    /// Places the salt and the keys after the entry array (ending at <paramref name="entriesEnd"/>) with this layout's
    /// gaps: the offsets the entries must point at, and the total length of the structure.
    /// </summary>
    public (uint SaltOffset, uint[] KeyOffsets, long Length) Place(int entriesEnd, int saltLength, IReadOnlyList<KerberosStoredKey> keys)
    {
        long position = entriesEnd + Gaps[0].Length;
        uint saltOffset = (uint)position;
        position += saltLength;
        var keyOffsets = new uint[keys.Count];
        for (int i = 0; i < keys.Count; i++)
        {
            position += Gaps[i + 1].Length;
            keyOffsets[i] = (uint)position;
            position += keys[i].Length;
        }

        return (saltOffset, keyOffsets, position + Trailing.Length);
    }

    /// <summary>Writes the data area that <see cref="Place"/> laid out: gaps, salt, keys, trailing bytes.</summary>
    public void WriteData(ref BlobWriter output, string salt, IReadOnlyList<KerberosStoredKey> keys)
    {
        output.Write(Gaps[0]);
        output.WriteUtf16(salt);
        for (int i = 0; i < keys.Count; i++)
        {
            output.Write(Gaps[i + 1]);
            output.Write(keys[i].Key.Span);
        }

        output.Write(Trailing);
    }

    /// <summary>
    /// Adds one key's length to the running total and refuses a total above the structure's size. Keys may point at
    /// the same bytes (the offsets are valid), but each gets its own copy: without this bound a 32 KB value of 1365
    /// entries pointing at one 16 KB key cost 22 MB to parse and as much again to write. Real blobs never overlap.
    /// </summary>
    public static long CheckKeyBytes(BlobReader reader, long total, uint length, int structureSize)
    {
        total += length;
        if (total > structureSize)
        {
            throw reader.Error($"the keys add up to {total} bytes, more than the {structureSize}-byte structure holds (the key entries overlap)");
        }

        return total;
    }

    /// <summary>
    /// The observed layout when the salt and keys follow the entries in order without overlap; otherwise
    /// <see langword="null"/> (such a blob parses, but re-serializes in the canonical layout).
    /// </summary>
    public static KerberosCredentialLayout? Observe(ReadOnlySpan<byte> data, int entriesEnd, (long Offset, long Length) salt, IReadOnlyList<(long Offset, long Length)> keys)
    {
        var gaps = new byte[keys.Count + 1][];
        long position = entriesEnd;
        if (!Take(data, ref position, salt, out gaps[0]))
        {
            return null;
        }

        for (int i = 0; i < keys.Count; i++)
        {
            if (!Take(data, ref position, keys[i], out gaps[i + 1]))
            {
                return null;
            }
        }

        return new KerberosCredentialLayout(gaps, data[(int)position..].ToArray());
    }

    private static bool Take(ReadOnlySpan<byte> data, ref long position, (long Offset, long Length) item, out byte[] gap)
    {
        gap = [];
        if (item.Offset < position)
        {
            return false;
        }

        gap = data[(int)position..(int)item.Offset].ToArray();
        position = item.Offset + item.Length;
        return true;
    }
}
