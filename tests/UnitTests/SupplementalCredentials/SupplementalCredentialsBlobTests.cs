using System.Text;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;

namespace PasswordHashSync.UnitTests.SupplementalCredentials;

/// <summary>USER_PROPERTIES parsing and writing against the DSInternals sample blobs (DSInternals @894f5ed SupplementalCredentialsTester.cs).</summary>
public class SupplementalCredentialsBlobTests
{
    public static TheoryData<string> SampleBlobs => new()
    {
        nameof(DsInternalsVectors.Empty1), nameof(DsInternalsVectors.Empty2), nameof(DsInternalsVectors.Create_Empty),
        nameof(DsInternalsVectors.W2k16_Vector1), nameof(DsInternalsVectors.W2k16_Vector2), nameof(DsInternalsVectors.W2k16_Vector3),
        nameof(DsInternalsVectors.W2k16_Vector4), nameof(DsInternalsVectors.W2k16_Vector5),
        nameof(DsInternalsVectors.W2k3_Vector1), nameof(DsInternalsVectors.W2k3_Vector2),
    };

    internal static byte[] Vector(string name) =>
        Convert.FromHexString((string)typeof(DsInternalsVectors).GetField(name)!.GetRawConstantValue()!);

    [Theory]
    [MemberData(nameof(SampleBlobs))]
    public void Every_sample_blob_round_trips_byte_for_byte(string name)
    {
        byte[] blob = Vector(name);
        Assert.Equal(Convert.ToHexStringLower(blob), Convert.ToHexStringLower(SupplementalCredentialsBlob.Parse(blob).ToByteArray()));
    }

    [Fact]
    public void Empty_structures_have_no_properties()
    {
        Assert.True(SupplementalCredentialsBlob.Parse(Vector(nameof(DsInternalsVectors.Empty1))).IsEmpty);
        Assert.True(SupplementalCredentialsBlob.Parse(Vector(nameof(DsInternalsVectors.Empty2))).IsEmpty);
    }

    [Fact]
    public void W2k16_Vector2_decodes_to_the_published_fields()
    {
        SupplementalCredentialsBlob blob = SupplementalCredentialsBlob.Parse(Vector(nameof(DsInternalsVectors.W2k16_Vector2)));
        Assert.Equal(["Primary:NTLM-Strong-NTOWF", "Primary:Kerberos-Newer-Keys", "Primary:Kerberos", "Packages", "Primary:WDigest"], blob.Properties.Select(p => p.Name));
        Assert.Equal("1d687512c9354dcee237fea90d195cc7", Convert.ToHexStringLower(blob.NtlmStrongNtowf.Span));
        Assert.Equal(1, blob.Reserved5);
        Assert.Equal(["NTLM-Strong-NTOWF", "Kerberos-Newer-Keys", "Kerberos", "WDigest"], blob.Packages);
        Assert.Equal("ADATUM.COMuser02", blob.KerberosNewerKeys!.DefaultSalt);
        Assert.Equal(
            ["622fca1d12de1df65e840afd5f3b9844b18a72a82aed6e3e58c39257753fdfa8", "30666974cb729ef6bd44f8eab3296e5c", "13f8fd37d557a401"],
            blob.KerberosNewerKeys.Credentials.Select(k => Convert.ToHexStringLower(k.Key.Span)));
        Assert.Equal("13f8fd37d557a401", Convert.ToHexStringLower(blob.Kerberos!.Credentials[0].Key.Span));
        Assert.Equal("9c386efd814f749cee0f2a9e6ed7ec63", Convert.ToHexStringLower(blob.WDigest!.Hashes[0].Span));
        Assert.Equal("c0fb3901948d98707f1aae464aed5c40", Convert.ToHexStringLower(blob.WDigest.Hashes[28].Span));
        Assert.False(blob.HasCleartextPassword);
    }

    [Fact]
    public void GetCurrentKerberosKeys_gives_newer_keys_with_salt_and_iterations()
    {
        SupplementalCredentialsBlob blob = SupplementalCredentialsBlob.Parse(Vector(nameof(DsInternalsVectors.W2k16_Vector2)));
        IReadOnlyList<KerberosKey> keys = blob.GetCurrentKerberosKeys();
        Assert.Equal([KerberosEncryptionType.Aes256CtsHmacSha196, KerberosEncryptionType.Aes128CtsHmacSha196, KerberosEncryptionType.DesCbcMd5], keys.Select(k => k.EncryptionType));
        Assert.Equal("ADATUM.COMuser02", Encoding.UTF8.GetString(keys[0].Salt.Span));
        Assert.Equal(4096, keys[0].IterationCount);
        Assert.Equal(0, keys[2].IterationCount);
    }

    [Fact]
    public void W2k3_Vector1_exposes_des_keys_of_Primary_Kerberos_only()
    {
        SupplementalCredentialsBlob blob = SupplementalCredentialsBlob.Parse(Vector(nameof(DsInternalsVectors.W2k3_Vector1)));
        Assert.Null(blob.KerberosNewerKeys);
        IReadOnlyList<KerberosKey> keys = blob.GetCurrentKerberosKeys();
        Assert.Equal([KerberosEncryptionType.DesCbcMd5, KerberosEncryptionType.DesCbcCrc], keys.Select(k => k.EncryptionType));
        Assert.All(keys, k => Assert.Equal("aed02c52204ca2ce", Convert.ToHexStringLower(k.Key.Span)));
        Assert.Equal(["Kerberos", "WDigest"], blob.Packages);
    }

    [Fact]
    public void Generator_reproduces_the_published_Windows_blob_W2k16_Vector2_byte_for_byte()
    {
        // Inputs published with the vector: Pa$$w0rd, sAMAccountName user02, no UPN, ADATUM, Adatum.com. The random
        // NTLM-Strong-NTOWF value and the meaningless Reserved5 byte are taken from the blob itself.
        SupplementalCredentialsBlob generated = SupplementalCredentialsGenerator.Generate("Pa$$w0rd", new SupplementalCredentialsAccount
        {
            SamAccountName = "user02",
            NetBiosDomainName = "ADATUM",
            DnsDomainName = "Adatum.com",
            NtlmStrongNtowf = Convert.FromHexString("1d687512c9354dcee237fea90d195cc7"),
            Reserved5 = 1,
        });
        Assert.Equal(Convert.ToHexStringLower(Vector(nameof(DsInternalsVectors.W2k16_Vector2))), Convert.ToHexStringLower(generated.ToByteArray()));
    }

    [Fact]
    public void Generator_rotates_previous_keys_like_W2k16_Vector1()
    {
        // Vector1: salt ADATUM.COMtest, current, old and older keys all from Pa$$w0rd.
        SupplementalCredentialsBlob published = SupplementalCredentialsBlob.Parse(Vector(nameof(DsInternalsVectors.W2k16_Vector1)));
        var account = new SupplementalCredentialsAccount { SamAccountName = "test", NetBiosDomainName = "ADATUM", DnsDomainName = "Adatum.com" };
        SupplementalCredentialsBlob first = SupplementalCredentialsGenerator.Generate("Pa$$w0rd", account);
        SupplementalCredentialsBlob second = SupplementalCredentialsGenerator.Generate("Pa$$w0rd", account, first);
        SupplementalCredentialsBlob third = SupplementalCredentialsGenerator.Generate("Pa$$w0rd", account, second);
        Assert.Equal(
            Convert.ToHexStringLower(published.KerberosNewerKeys!.ToByteArray()),
            Convert.ToHexStringLower(third.KerberosNewerKeys!.ToByteArray()));
        Assert.Equal(
            Convert.ToHexStringLower(published.Kerberos!.ToByteArray()),
            Convert.ToHexStringLower(third.Kerberos!.ToByteArray()));
    }

    [Fact]
    public void Generator_with_reversible_encryption_stores_cleartext()
    {
        SupplementalCredentialsBlob blob = SupplementalCredentialsGenerator.Generate("Pa$$w0rd3", new SupplementalCredentialsAccount
        {
            SamAccountName = "April", NetBiosDomainName = "ADATUM", DnsDomainName = "Adatum.com", StoreCleartext = true,
        });
        SupplementalCredentialsBlob reparsed = SupplementalCredentialsBlob.Parse(blob.ToByteArray());
        Assert.Equal("Pa$$w0rd3", reparsed.GetCleartextPassword());
        Assert.Contains("CLEARTEXT", reparsed.Packages!);
        // Published (reference notes 3.5): ADATUM.COMApril + Pa$$w0rd3 gives this AES256 key.
        Assert.Equal("f393e57bd56648537775df675da349bc93bc338ce33da861b7b2da7a273811e7", Convert.ToHexStringLower(reparsed.KerberosNewerKeys!.Credentials[0].Key.Span));
    }

    [Fact]
    public void Rule_ADAM_blob_is_not_USER_PROPERTIES_and_is_rejected_with_the_format_exception() =>
        Assert.Throws<SupplementalCredentialsFormatException>(() => SupplementalCredentialsBlob.Parse(Vector(nameof(DsInternalsVectors.ADAM))));

    [Fact]
    public void Rule_length_field_must_match_blob_length()
    {
        byte[] blob = Vector(nameof(DsInternalsVectors.W2k16_Vector2));
        var ex = Assert.Throws<SupplementalCredentialsFormatException>(() => SupplementalCredentialsBlob.Parse(blob.AsSpan(0, blob.Length - 1)));
        Assert.Contains("Length", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_signature_must_be_0x50()
    {
        byte[] blob = Vector(nameof(DsInternalsVectors.W2k16_Vector2));
        blob[108] = 0x51;
        Assert.Throws<SupplementalCredentialsFormatException>(() => SupplementalCredentialsBlob.Parse(blob));
    }

    [Fact]
    public void Rule_property_count_beyond_the_data_is_rejected()
    {
        byte[] blob = Vector(nameof(DsInternalsVectors.W2k16_Vector2));
        blob[110] = 0xff;
        blob[111] = 0xff;
        Assert.Throws<SupplementalCredentialsFormatException>(() => SupplementalCredentialsBlob.Parse(blob));
    }

    [Fact]
    public void Rule_non_hex_value_is_rejected()
    {
        byte[] blob = Vector(nameof(DsInternalsVectors.W2k16_Vector2));
        // First property value starts after the 6-byte header and the 50-byte name at offset 112.
        blob[112 + 6 + 50] = (byte)'z';
        var ex = Assert.Throws<SupplementalCredentialsFormatException>(() => SupplementalCredentialsBlob.Parse(blob));
        Assert.Contains("hex", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_reports_malformed_blobs_without_throwing()
    {
        Assert.False(SupplementalCredentialsBlob.TryParse(Vector(nameof(DsInternalsVectors.ADAM)), out SupplementalCredentialsBlob? none));
        Assert.Null(none);
        Assert.True(SupplementalCredentialsBlob.TryParse(Vector(nameof(DsInternalsVectors.W2k16_Vector1)), out SupplementalCredentialsBlob? blob));
        Assert.Equal(3, blob.KerberosNewerKeys!.OlderCredentials.Count);
    }

    [Fact]
    public void Rule_too_short_blob_is_rejected() =>
        Assert.Throws<SupplementalCredentialsFormatException>(() => SupplementalCredentialsBlob.Parse(new byte[12]));

    [Fact]
    public void Uppercase_hex_written_by_Samba_round_trips()
    {
        SupplementalCredentialsBlob windows = SupplementalCredentialsBlob.Parse(Vector(nameof(DsInternalsVectors.W2k16_Vector2)));
        var upper = new SupplementalCredentialsBlob(windows.Properties.Select(p => new UserProperty(p.Name, p.Value.Span, p.Reserved, uppercaseHex: true)), 1);
        byte[] bytes = upper.ToByteArray();
        Assert.Contains("622FCA1D", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(bytes, SupplementalCredentialsBlob.Parse(bytes).ToByteArray());
    }

    [Fact]
    public void ToString_shows_property_names_but_no_key_material()
    {
        SupplementalCredentialsBlob blob = SupplementalCredentialsBlob.Parse(Vector(nameof(DsInternalsVectors.W2k16_Vector2)));
        string text = blob + " " + blob.KerberosNewerKeys + " " + blob.KerberosNewerKeys!.Credentials[0] + " " + blob.WDigest;
        Assert.Contains("Primary:Kerberos-Newer-Keys", text, StringComparison.Ordinal);
        Assert.DoesNotContain("622fca1d", text, StringComparison.OrdinalIgnoreCase);
    }
}
