using System.Buffers.Binary;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.UnitTests.SupplementalCredentials;

namespace PasswordHashSync.UnitTests.Hostile;

/// <summary>
/// Rule: the supplementalCredentials parsers and writers take hostile input (empty, huge, lying counts and lengths)
/// with <see cref="SupplementalCredentialsFormatException"/> or a documented argument/state exception, never an
/// IndexOutOfRange, Overflow or OutOfMemory exception and never a silently corrupt output.
/// </summary>
public class HostileBlobTests
{
    private const string KeyMarker = "c0ffeec0ffeec0ffeec0ffeec0ffeec0";

    public static TheoryData<string> Parsers => new() { "blob", "newer", "kerberos", "wdigest" };

    private static void ParseWith(string parser, ReadOnlySpan<byte> data)
    {
        switch (parser)
        {
            case "blob": _ = SupplementalCredentialsBlob.Parse(data); break;
            case "newer": _ = KerberosNewerKeysCredential.Parse(data); break;
            case "kerberos": _ = KerberosStoredCredential.Parse(data); break;
            default: _ = WDigestCredentials.Parse(data); break;
        }
    }

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Empty_input_gives_the_format_exception(string parser) =>
        Assert.Throws<SupplementalCredentialsFormatException>(() => ParseWith(parser, []));

    [Theory]
    [MemberData(nameof(Parsers))]
    public void A_1_MiB_block_of_0xFF_gives_the_format_exception(string parser)
    {
        // 0xFF everywhere: every count, length and offset reads as its maximum.
        byte[] data = Enumerable.Repeat((byte)0xFF, 1 << 20).ToArray();
        if (parser == "wdigest")
        {
            // WDigest accepts trailing bytes, so a big block parses; it must keep the declared 255 hashes only.
            Assert.Equal(255, WDigestCredentials.Parse(data).Hashes.Count);
            return;
        }

        Assert.Throws<SupplementalCredentialsFormatException>(() => ParseWith(parser, data));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(0x80000000u)]
    [InlineData(0xFFFFFFFFu)]
    public void Key_offsets_and_lengths_near_int_MaxValue_give_the_format_exception(uint value)
    {
        byte[] newer = KerberosNewerKeysCredential.Parse(Newer()).ToByteArray();
        foreach (int field in new[] { 24 + 16, 24 + 20 })
        {
            byte[] copy = (byte[])newer.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(field), value == 0 ? 0xFFFFFFF0u : value);
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(field == 40 ? 44 : 40), value);
            Assert.Throws<SupplementalCredentialsFormatException>(() => KerberosNewerKeysCredential.Parse(copy));
        }

        byte[] salted = (byte[])newer.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(salted.AsSpan(16), value == 0 ? 0xFFFFFFF0u : value); // DefaultSaltOffset
        Assert.Throws<SupplementalCredentialsFormatException>(() => KerberosNewerKeysCredential.Parse(salted));
    }

    [Fact]
    public void Property_count_65535_with_no_room_gives_the_format_exception()
    {
        byte[] blob = Convert.FromHexString(DsInternalsVectors.Empty2 + "0000");
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), (uint)(blob.Length - 13));
        blob[^3] = 0xFF;
        blob[^2] = 0xFF;
        blob[^1] = 0x00;
        Exception ex = Assert.Throws<SupplementalCredentialsFormatException>(() => SupplementalCredentialsBlob.Parse(blob));
        Assert.Contains("65535 properties", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_exception_messages_never_hold_key_or_value_hex()
    {
        // A Primary:Kerberos-Newer-Keys whose key is a marker, then every truncation of the blob around it.
        byte[] value = new KerberosNewerKeysCredential("EXAMPLE.COMu", 4096, [new KerberosStoredKey(KerberosEncryptionType.Aes128CtsHmacSha196, Convert.FromHexString(KeyMarker), 4096)]).ToByteArray();
        byte[] blob = new SupplementalCredentialsBlob([new UserProperty(SupplementalCredentialsPropertyNames.KerberosNewerKeys, value)]).ToByteArray();
        for (int length = 0; length < blob.Length; length++)
        {
            byte[] cut = blob[..length];
            var ex = Record.Exception(() => SupplementalCredentialsBlob.Parse(cut));
            if (ex is null)
            {
                continue;
            }

            Assert.IsType<SupplementalCredentialsFormatException>(ex);
            Assert.DoesNotContain(KeyMarker, ex.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToHexStringLower(value), ex.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Writing_a_property_value_too_long_for_its_16_bit_length_is_refused_not_truncated()
    {
        // Rule: no silent wrong answer. 40,000 bytes are 80,000 hex characters; ValueLength is 16-bit.
        var blob = new SupplementalCredentialsBlob([new UserProperty("Unknown:Big", new byte[40_000])]);
        Exception ex = Assert.Throws<InvalidOperationException>(() => blob.ToByteArray());
        Assert.Contains("Unknown:Big", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_a_property_name_too_long_for_its_16_bit_length_is_refused_not_truncated()
    {
        var blob = new SupplementalCredentialsBlob([new UserProperty(new string('n', 40_000), [1])]);
        Assert.Throws<InvalidOperationException>(() => blob.ToByteArray());
    }

    [Fact]
    public void A_cleartext_password_too_long_for_the_property_is_refused_when_written()
    {
        // 16,384 characters are 32,768 bytes of UTF-16, 65,536 hex characters: one more than ValueLength can say.
        string password = new('p', 16_384);
        SupplementalCredentialsBlob blob = SupplementalCredentialsGenerator.Generate(password, new SupplementalCredentialsAccount
        {
            SamAccountName = "u", NetBiosDomainName = "EXAMPLE", DnsDomainName = "example.com", StoreCleartext = true, IterationCount = 1,
        });
        Exception ex = Assert.Throws<InvalidOperationException>(() => blob.ToByteArray());
        Assert.DoesNotContain("pppp", ex.Message, StringComparison.Ordinal);

        // One character less fits exactly, and reads back whole.
        blob = SupplementalCredentialsGenerator.Generate(password.AsSpan(1), new SupplementalCredentialsAccount
        {
            SamAccountName = "u", NetBiosDomainName = "EXAMPLE", DnsDomainName = "example.com", StoreCleartext = true, IterationCount = 1,
        });
        Assert.Equal(password[1..], SupplementalCredentialsBlob.Parse(blob.ToByteArray()).GetCleartextPassword());
    }

    [Fact]
    public void Key_entries_that_share_bytes_beyond_the_structure_size_are_refused_at_parse()
    {
        // 40 key entries all pointing at the same 900 bytes: the offsets are in range, but the keys add up to 36,000
        // bytes in a 1,884-byte structure. Each key would get its own copy (the audit's amplification).
        byte[] blob = NewerKeysBlob(keys: 40, keyLength: 900, saltCoversKey: false);
        var ex = Assert.Throws<SupplementalCredentialsFormatException>(() => SupplementalCredentialsBlob.Parse(blob));
        Assert.Contains("overlap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_audit_blob_of_680_entries_on_one_16_KB_key_is_refused_without_paying_for_the_copies()
    {
        // The audit's case: 680 entries on one 16,000-byte key cost 10.9 MB of key copies to parse (and more to write).
        byte[] blob = NewerKeysBlob(keys: 680, keyLength: 16_000, saltCoversKey: false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<SupplementalCredentialsFormatException>(() => SupplementalCredentialsBlob.Parse(blob));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1 << 20, $"parsing allocated {allocated} bytes");
    }

    [Fact]
    public void A_parsed_blob_that_re_encodes_beyond_its_16_bit_length_is_refused_before_the_output_is_allocated()
    {
        // One key, and a salt over the same 31,952 bytes: both parse (one key's bytes fit), but the writer lays salt
        // and key out one after the other: 63,976 bytes, 127,952 hex characters, more than ValueLength can say.
        byte[] blob = NewerKeysBlob(keys: 1, keyLength: 31_952, saltCoversKey: true);
        using SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(blob);
        Assert.Single(parsed.KerberosNewerKeys!.Credentials);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidOperationException>(() => parsed.ToByteArray());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("127952", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 32 * 1024, $"the refused write allocated {allocated} bytes");
    }

    /// <summary>
    /// A blob whose Primary:Kerberos-Newer-Keys has <paramref name="keys"/> entries all pointing at one key after the
    /// entries (optionally with the salt over the same bytes). Written under an unknown name (kept raw), then renamed
    /// in place, since the writer itself would re-encode a known value.
    /// </summary>
    private static byte[] NewerKeysBlob(int keys, int keyLength, bool saltCoversKey)
    {
        int entriesEnd = 24 + (keys * 24);
        byte[] value = new byte[entriesEnd + keyLength];
        BinaryPrimitives.WriteUInt16LittleEndian(value, 4);
        BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(4), (ushort)keys);
        if (saltCoversKey)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(8 + 4), (ushort)keyLength);
            BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(8 + 6), (ushort)keyLength);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(16), (uint)entriesEnd);
        for (int i = 0; i < keys; i++)
        {
            Span<byte> entry = value.AsSpan(24 + (i * 24), 24);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], 17);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[16..], (uint)keyLength);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[20..], (uint)entriesEnd);
        }

        byte[] blob = new SupplementalCredentialsBlob([new UserProperty("Primary:Kerberos-Newer-Keyz", value)]).ToByteArray();
        byte[] z = System.Text.Encoding.Unicode.GetBytes("Keyz");
        int at = blob.AsSpan().IndexOf(z);
        blob[at + 6] = (byte)'s';
        return blob;
    }

    [Fact]
    public void Lone_surrogates_in_the_cleartext_password_and_salt_survive_as_code_units()
    {
        // Documented: UTF-16 is decoded code unit by code unit, lone surrogates kept.
        const string Password = "a\uD800b\uDFFF";
        var property = new UserProperty(SupplementalCredentialsPropertyNames.Cleartext, [0x61, 0, 0x00, 0xD8, 0x62, 0, 0xFF, 0xDF]);
        var blob = SupplementalCredentialsBlob.Parse(new SupplementalCredentialsBlob([property]).ToByteArray());
        Assert.Equal(Password, blob.GetCleartextPassword());

        var credential = KerberosNewerKeysCredential.Parse(new KerberosNewerKeysCredential("R\uDC00", 4096, []).ToByteArray());
        Assert.Equal("R\uDC00", credential.DefaultSalt);
    }

    [Fact]
    public void ToString_of_every_credential_type_never_shows_key_hash_or_password_bytes()
    {
        byte[] key = Convert.FromHexString(KeyMarker);
        var stored = new KerberosStoredKey(KerberosEncryptionType.Aes128CtsHmacSha196, key, 4096);
        var newer = new KerberosNewerKeysCredential("EXAMPLE.COMu", 4096, [stored]);
        var old = new KerberosStoredCredential("EXAMPLE.COMu", [new KerberosStoredKey(KerberosEncryptionType.DesCbcMd5, key.AsSpan(0, 8))]);
        var wdigest = new WDigestCredentials([key]);
        var cleartext = new UserProperty(SupplementalCredentialsPropertyNames.Cleartext, "S\0e\0c\0r\0e\0t\0"u8);
        var blob = new SupplementalCredentialsBlob([
            new UserProperty(SupplementalCredentialsPropertyNames.KerberosNewerKeys, newer.ToByteArray()),
            new UserProperty(SupplementalCredentialsPropertyNames.Kerberos, old.ToByteArray()),
            new UserProperty(SupplementalCredentialsPropertyNames.WDigest, wdigest.ToByteArray()),
            cleartext,
        ]);
        var kerberosKey = new KerberosKey(KerberosEncryptionType.Aes128CtsHmacSha196, key, "EXAMPLE.COMu"u8, 4096);
        object[] values = [stored, newer, old, wdigest, cleartext, blob, kerberosKey, blob.GetCurrentKerberosKeys()[0]];
        foreach (object value in values)
        {
            string text = value.ToString()!;
            Assert.DoesNotContain(KeyMarker, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(KeyMarker[..16], text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Secret", text, StringComparison.Ordinal);
        }
    }

    private static byte[] Newer() =>
        new KerberosNewerKeysCredential("EXAMPLE.COMu", 4096, [new KerberosStoredKey(KerberosEncryptionType.Aes128CtsHmacSha196, new byte[16], 4096)]).ToByteArray();
}
