using System.Globalization;
using System.Text;
using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// SCHEMA_PREFIX_TABLE (MS-DRSR 5.180; IDL <c>drsuapi_DsReplicaOIDMapping_Ctr</c>) and the ATTRTYP ↔ OID conversion
/// of MS-DRSR 5.16.4 (OidFromAttid / MakeAttid; Samba <c>source4/dsdb/schema/schema_prefixmap.c</c>). Each entry maps
/// an index (the ATTRTYP's high word) to the BER encoding of an OID prefix.
/// </summary>
internal sealed class SchemaPrefixTable
{
    /// <summary>The IDL's <c>[range(0,0x100000)]</c> on the entry count.</summary>
    public const uint MaxEntries = 0x100000;

    /// <summary>The IDL's <c>[range(0,10000)]</c> on a prefix length.</summary>
    public const uint MaxPrefixLength = 10000;

    private readonly (uint Index, byte[] Prefix)[] _entries;
    private readonly Dictionary<uint, string?> _oidCache = [];

    /// <summary>Creates a table.</summary>
    /// <param name="entries">The entries in wire order.</param>
    public SchemaPrefixTable(IReadOnlyList<(uint Index, byte[] Prefix)> entries)
    {
        _entries = [.. entries];
    }

    /// <summary>The empty table (what a full sync without a partial attribute set sends).</summary>
    public static SchemaPrefixTable Empty { get; } = new([]);

    /// <summary>The entries in wire order.</summary>
    public IReadOnlyList<(uint Index, byte[] Prefix)> Entries => _entries;

    /// <summary>
    /// The table a request with a partial attribute set sends to Samba: the default-table entries for the given OIDs
    /// (MS-DRSR 5.16.4 / Samba <c>dsdb_schema_pfm_new</c> indices), followed by the schemaInfo entry (index 0, 21 bytes
    /// starting 0xFF) that Samba's <c>_dsdb_drsuapi_pfm_verify</c> requires as the last entry.
    /// </summary>
    /// <param name="oids">The OIDs the request's ATTRTYPs use.</param>
    /// <returns>The table.</returns>
    public static SchemaPrefixTable ForRequest(IEnumerable<string> oids)
    {
        var entries = new List<(uint, byte[])>();
        foreach (string oid in oids)
        {
            byte[] prefix = SplitOid(oid).Prefix;
            if (entries.Exists(e => e.Item2.AsSpan().SequenceEqual(prefix)))
            {
                continue;
            }

            uint index = DefaultIndexOf(prefix) ?? throw new ArgumentException($"The OID {oid} has no prefix in the default prefix table.", nameof(oids));
            entries.Add((index, prefix));
        }

        // schemaInfo (MS-DRSR 5.180 SCHEMA_PREFIX_TABLE, MS-ADTS 3.1.1.2.2 schemaInfo): 0xFF, revision (BE), invocationId.
        byte[] schemaInfo = new byte[21];
        schemaInfo[0] = 0xFF;
        schemaInfo[4] = 1;
        entries.Add((0, schemaInfo));
        return new SchemaPrefixTable(entries);
    }

    /// <summary>Converts an ATTRTYP to its dotted OID (MS-DRSR 5.16.4 OidFromAttid).</summary>
    /// <param name="attributeType">The ATTRTYP.</param>
    /// <param name="oid">The OID.</param>
    /// <returns><see langword="false"/> when the index is not in the table or the ATTRTYP is an msDS-IntId (≥ 0x80000000).</returns>
    public bool TryGetOid(uint attributeType, out string oid)
    {
        if (!_oidCache.TryGetValue(attributeType, out string? cached))
        {
            cached = Decode(attributeType);
            _oidCache[attributeType] = cached;
        }

        oid = cached ?? string.Empty;
        return cached is not null;
    }

    /// <summary>Converts an OID to the ATTRTYP this table gives it (MS-DRSR 5.16.4 MakeAttid without adding entries).</summary>
    /// <param name="oid">The dotted OID.</param>
    /// <param name="attributeType">The ATTRTYP.</param>
    /// <returns><see langword="false"/> when the table has no entry for the OID's prefix.</returns>
    public bool TryGetAttributeType(string oid, out uint attributeType)
    {
        (byte[] prefix, uint lastArc) = SplitOid(oid);
        foreach ((uint index, byte[] entry) in _entries)
        {
            if (entry.AsSpan().SequenceEqual(prefix) && index <= 0x7FFF)
            {
                attributeType = (index << 16) | (lastArc % 16384) | (lastArc >= 16384 ? 0x8000u : 0u);
                return true;
            }
        }

        attributeType = 0;
        return false;
    }

    /// <summary>Writes the table's scalars (PrefixCount and the pointer); the entries follow in <see cref="WriteBuffers"/>.</summary>
    /// <param name="writer">The writer.</param>
    public void WriteScalars(NdrWriter writer)
    {
        writer.WriteUInt32((uint)_entries.Length);
        writer.WriteUniquePointer(_entries.Length > 0);
    }

    /// <summary>Writes the entries (the pointee of pPrefixEntry), each prefix deferred after all entries.</summary>
    /// <param name="writer">The writer.</param>
    public void WriteBuffers(NdrWriter writer)
    {
        if (_entries.Length == 0)
        {
            return;
        }

        writer.WriteUInt32((uint)_entries.Length);
        foreach ((uint index, byte[] prefix) in _entries)
        {
            writer.WriteUInt32(index);
            writer.WriteUInt32((uint)prefix.Length);
            writer.WriteUniquePointer(prefix.Length > 0);
        }

        foreach ((_, byte[] prefix) in _entries)
        {
            if (prefix.Length > 0)
            {
                writer.WriteUInt32((uint)prefix.Length);
                writer.WriteBytes(prefix);
            }
        }
    }

    /// <summary>Reads the scalars: the count and whether the entries follow.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The count, or -1 for a null pointer.</returns>
    public static int ReadScalars(ref NdrReader reader)
    {
        uint count = reader.ReadUInt32("PrefixTableSrc.PrefixCount");
        if (count > MaxEntries)
        {
            throw reader.Malformed("PrefixTableSrc.PrefixCount", "is above the IDL maximum");
        }

        return reader.ReadPointer("PrefixTableSrc.pPrefixEntry") ? (int)count : -1;
    }

    /// <summary>Reads the entries (the pointee), given the count from <see cref="ReadScalars"/>.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="count">The count, or -1 when the pointer was null.</param>
    /// <returns>The table.</returns>
    public static SchemaPrefixTable ReadBuffers(ref NdrReader reader, int count)
    {
        const string What = "PrefixTableSrc.pPrefixEntry";
        if (count < 0)
        {
            return Empty;
        }

        uint conformance = reader.ReadUInt32(What);
        if (conformance != (uint)count)
        {
            throw reader.Malformed(What, "has an array size that does not match PrefixCount");
        }

        reader.CheckCount(conformance, What, 12, MaxEntries);
        var indices = new uint[count];
        var lengths = new uint[count];
        var present = new bool[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = reader.ReadUInt32(What);
            lengths[i] = reader.ReadUInt32(What);
            if (lengths[i] > MaxPrefixLength)
            {
                throw reader.Malformed(What, "has a prefix longer than the IDL maximum");
            }

            present[i] = reader.ReadPointer(What);
        }

        var entries = new (uint, byte[])[count];
        for (int i = 0; i < count; i++)
        {
            byte[] prefix = [];
            if (present[i])
            {
                uint length = reader.ReadUInt32(What);
                if (length != lengths[i])
                {
                    throw reader.Malformed(What, "has a prefix array size that does not match its length");
                }

                prefix = reader.ReadBytes((int)length, What).ToArray();
            }

            entries[i] = (indices[i], prefix);
        }

        return new SchemaPrefixTable(entries);
    }

    /// <summary>BER-encodes a dotted OID and splits it into the prefix (all but the last arc's last one or two bytes) and the last arc.</summary>
    /// <param name="oid">The OID.</param>
    /// <returns>The prefix bytes and the last arc.</returns>
    internal static (byte[] Prefix, uint LastArc) SplitOid(string oid)
    {
        ArgumentNullException.ThrowIfNull(oid);
        string[] parts = oid.Split('.');
        if (parts.Length < 3)
        {
            throw new ArgumentException($"'{oid}' is not an OID with at least three arcs.", nameof(oid));
        }

        uint[] arcs = Array.ConvertAll(parts, p => uint.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture));
        var ber = new List<byte>();
        AppendArc(ber, checked((arcs[0] * 40) + arcs[1]));
        for (int i = 2; i < arcs.Length; i++)
        {
            AppendArc(ber, arcs[i]);
        }

        uint last = arcs[^1];
        int drop = last < 128 ? 1 : 2;
        return (ber.GetRange(0, ber.Count - drop).ToArray(), last);
    }

    private static void AppendArc(List<byte> ber, uint arc)
    {
        int start = ber.Count;
        ber.Add((byte)(arc & 0x7F));
        arc >>= 7;
        while (arc != 0)
        {
            ber.Insert(start, (byte)(0x80 | (arc & 0x7F)));
            arc >>= 7;
        }
    }

    private string? Decode(uint attributeType)
    {
        if (attributeType >= 0x80000000)
        {
            return null;
        }

        uint index = attributeType >> 16;
        byte[]? prefix = null;
        foreach ((uint entryIndex, byte[] entryPrefix) in _entries)
        {
            if (entryIndex == index)
            {
                prefix = entryPrefix;
                break;
            }
        }

        if (prefix is null || prefix.Length == 0)
        {
            return null;
        }

        uint low = attributeType & 0xFFFF;
        Span<byte> ber = prefix.Length + 2 <= 256 ? stackalloc byte[prefix.Length + 2] : new byte[prefix.Length + 2];
        prefix.CopyTo(ber);
        int length = prefix.Length;
        if (low < 128)
        {
            ber[length++] = (byte)low;
        }
        else
        {
            if (low >= 32768)
            {
                low -= 32768;
            }

            ber[length++] = (byte)(0x80 | ((low >> 7) & 0x7F));
            ber[length++] = (byte)(low & 0x7F);
        }

        return BerToDotted(ber[..length]);
    }

    /// <summary>Formats BER-encoded OID content octets as dotted text, or <see langword="null"/> when malformed.</summary>
    private static string? BerToDotted(ReadOnlySpan<byte> ber)
    {
        var text = new StringBuilder();
        ulong arc = 0;
        bool first = true;
        int arcBytes = 0;
        foreach (byte b in ber)
        {
            if (++arcBytes > 9)
            {
                return null;
            }

            arc = (arc << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) != 0)
            {
                continue;
            }

            if (first)
            {
                ulong top = arc < 40 ? 0UL : arc < 80 ? 1UL : 2UL;
                text.Append(CultureInfo.InvariantCulture, $"{top}.{arc - (top * 40)}");
                first = false;
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $".{arc}");
            }

            arc = 0;
            arcBytes = 0;
        }

        return first || arcBytes != 0 ? null : text.ToString();
    }

    private static uint? DefaultIndexOf(byte[] prefix)
    {
        // MS-DRSR 5.16.4 default prefix table (Samba dsdb_schema_pfm_new); only the prefixes a request can need.
        ReadOnlySpan<(uint, string)> defaults =
        [
            (0, "2.5.4"), (1, "2.5.6"), (2, "1.2.840.113556.1.2"), (3, "1.2.840.113556.1.3"), (9, "1.2.840.113556.1.4"),
            (10, "1.2.840.113556.1.5"),
        ];
        foreach ((uint index, string oidPrefix) in defaults)
        {
            (byte[] candidate, _) = SplitOid(oidPrefix + ".0");
            if (candidate.AsSpan().SequenceEqual(prefix))
            {
                return index;
            }
        }

        return null;
    }
}
