using PasswordHashSync.Replication.Drsr;

namespace PasswordHashSync.UnitTests.Drsr;

/// <summary>ATTRTYP ↔ OID (MS-DRSR 5.16.4) against the ATTRTYPs Samba's IDL lists for the default prefix table (<c>drsuapi_DsAttributeId</c>).</summary>
public class SchemaPrefixTableTests
{
    // Default-table entries 0, 2, 9 and 0x17 as BER prefixes (2.5.4, 1.2.840.113556.1.2, 1.2.840.113556.1.4, 1.2.840.113556.1.5.7000).
    private static readonly SchemaPrefixTable Default = new(
    [
        (0u, new byte[] { 0x55, 0x04 }),
        (2u, new byte[] { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x14, 0x01, 0x02 }),
        (9u, new byte[] { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x14, 0x01, 0x04 }),
        (0x17u, new byte[] { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x14, 0x01, 0x05, 0xB6, 0x58 }),
    ]);

    [Theory]
    [InlineData(0x00000000u, "2.5.4.0")]
    [InlineData(0x00000031u, "2.5.4.49")]
    [InlineData(0x000200e2u, "1.2.840.113556.1.2.226")]
    [InlineData(0x0009005au, "1.2.840.113556.1.4.90")]
    [InlineData(0x0009007du, "1.2.840.113556.1.4.125")]
    [InlineData(0x000900ddu, "1.2.840.113556.1.4.221")]
    [InlineData(0x00090290u, "1.2.840.113556.1.4.656")]
    [InlineData(0x000906f6u, "1.2.840.113556.1.4.1782")]
    [InlineData(0x0009080au, "1.2.840.113556.1.4.2058")]
    [InlineData(0x0017002fu, "1.2.840.113556.1.5.7000.47")]
    public void Samba_idl_attribute_ids_convert_both_ways(uint attributeType, string oid)
    {
        Assert.True(Default.TryGetOid(attributeType, out string decoded));
        Assert.Equal(oid, decoded);
        Assert.True(Default.TryGetAttributeType(oid, out uint encoded));
        Assert.Equal(attributeType, encoded);
    }

    [Fact]
    public void Arcs_above_16383_use_the_0x8000_bit_and_keep_a_prefix_byte()
    {
        (byte[] prefix, uint last) = SchemaPrefixTable.SplitOid("1.2.840.113556.1.4.99999");
        Assert.Equal(99999u, last);
        var table = new SchemaPrefixTable([(5u, prefix)]);
        Assert.True(table.TryGetAttributeType("1.2.840.113556.1.4.99999", out uint attributeType));
        Assert.Equal((5u << 16) | 0x8000u | (99999u % 16384), attributeType);
        Assert.True(table.TryGetOid(attributeType, out string oid));
        Assert.Equal("1.2.840.113556.1.4.99999", oid);
    }

    [Theory]
    [InlineData(0x80000001u)]
    [InlineData(0x00050001u)]
    public void Unknown_prefixes_and_msDS_IntIds_do_not_decode(uint attributeType) =>
        Assert.False(Default.TryGetOid(attributeType, out _));

    [Fact]
    public void Request_table_ends_with_the_schema_info_entry_samba_requires()
    {
        SchemaPrefixTable table = SchemaPrefixTable.ForRequest(ReplicationAttributes.AccountAttributes);
        (uint index, byte[] last) = table.Entries[^1];
        Assert.Equal(0u, index);
        Assert.Equal(21, last.Length);
        Assert.Equal(0xFF, last[0]);
        Assert.Equal([0u, 2u, 9u, 0u], table.Entries.Select(e => e.Index));
    }
}
