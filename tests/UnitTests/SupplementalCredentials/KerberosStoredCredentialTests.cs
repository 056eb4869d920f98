using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;

namespace PasswordHashSync.UnitTests.SupplementalCredentials;

/// <summary>KERB_STORED_CREDENTIAL(_NEW) against DSInternals KerberosCredential(New)Tester vectors (reference notes A.2).</summary>
public class KerberosStoredCredentialTests
{
    public static TheoryData<string> NewerKeysVectors => new()
    {
        nameof(DsInternalsVectors.KerberosCredentialNew_Vector1), nameof(DsInternalsVectors.KerberosCredentialNew_Vector2),
        nameof(DsInternalsVectors.KerberosCredentialNew_Vector3), nameof(DsInternalsVectors.KerberosCredentialNew_Vector4),
        nameof(DsInternalsVectors.KerberosCredentialNew_Vector5),
    };

    public static TheoryData<string> Revision3Vectors => new()
    {
        nameof(DsInternalsVectors.KerberosCredential_Vector1), nameof(DsInternalsVectors.KerberosCredential_Vector2),
        nameof(DsInternalsVectors.KerberosCredential_Vector3),
    };

    public static TheoryData<string> W2k3Vectors => new()
    {
        nameof(DsInternalsVectors.KerberosCredential_W2k3_Vector1), nameof(DsInternalsVectors.KerberosCredential_W2k3_Vector2),
    };

    [Theory]
    [MemberData(nameof(NewerKeysVectors))]
    public void Newer_keys_vectors_round_trip_and_canonical_writer_matches_windows(string name)
    {
        byte[] data = SupplementalCredentialsBlobTests.Vector(name);
        KerberosNewerKeysCredential parsed = KerberosNewerKeysCredential.Parse(data);
        Assert.Equal(data, parsed.ToByteArray());

        // Rebuilt through the public constructor (no remembered layout): the Windows 2008+ layout.
        var rebuilt = new KerberosNewerKeysCredential(parsed.DefaultSalt, parsed.DefaultIterationCount, Copy(parsed.Credentials), Copy(parsed.OldCredentials), Copy(parsed.OlderCredentials));
        Assert.Equal(Convert.ToHexStringLower(data), Convert.ToHexStringLower(rebuilt.ToByteArray()));
    }

    [Theory]
    [MemberData(nameof(Revision3Vectors))]
    public void Revision3_vectors_round_trip_and_canonical_writer_matches_windows(string name)
    {
        byte[] data = SupplementalCredentialsBlobTests.Vector(name);
        KerberosStoredCredential parsed = KerberosStoredCredential.Parse(data);
        Assert.Equal(data, parsed.ToByteArray());
        var rebuilt = new KerberosStoredCredential(parsed.DefaultSalt, Copy(parsed.Credentials), Copy(parsed.OldCredentials));
        Assert.Equal(Convert.ToHexStringLower(data), Convert.ToHexStringLower(rebuilt.ToByteArray()));
    }

    [Theory]
    [MemberData(nameof(W2k3Vectors))]
    public void Windows_2003_padding_is_kept_on_round_trip(string name)
    {
        byte[] data = SupplementalCredentialsBlobTests.Vector(name);
        Assert.Equal(data, KerberosStoredCredential.Parse(data).ToByteArray());
    }

    [Fact]
    public void NewerKeys_Vector1_decodes_to_published_fields_and_keys_rederive_from_PaSSw0rd()
    {
        KerberosNewerKeysCredential parsed = KerberosNewerKeysCredential.Parse(SupplementalCredentialsBlobTests.Vector(nameof(DsInternalsVectors.KerberosCredentialNew_Vector1)));
        Assert.Equal("ADATUM.COMtest", parsed.DefaultSalt);
        Assert.Equal((3, 3, 3, 0), (parsed.Credentials.Count, parsed.OldCredentials.Count, parsed.OlderCredentials.Count, parsed.ServiceCredentials.Count));
        Assert.Equal(
            ["0f4eb676104ad1fcac9a8fb9f2a19d6477c52ca584b4be6894851d469bf1049c", "a477bb826e98d86465ff4915b859c6cd", "453820da83b6d64a"],
            parsed.Credentials.Select(k => Convert.ToHexStringLower(k.Key.Span)));
        foreach (KerberosKey stored in parsed.GetCurrentKeys())
        {
            using KerberosKey derived = KerberosKeyDerivation.DeriveKey(stored.EncryptionType, "Pa$$w0rd", stored.Salt.ToArray(), stored.IterationCount == 0 ? null : stored.IterationCount);
            Assert.Equal(Convert.ToHexStringLower(stored.Key.Span), Convert.ToHexStringLower(derived.Key.Span));
        }
    }

    [Fact]
    public void W2k3_Vector2_decodes_current_and_old_des_keys()
    {
        KerberosStoredCredential parsed = KerberosStoredCredential.Parse(SupplementalCredentialsBlobTests.Vector(nameof(DsInternalsVectors.KerberosCredential_W2k3_Vector2)));
        Assert.Equal("CONTOSO.COMhostwin2k3r2ee.contoso.com", parsed.DefaultSalt);
        Assert.Equal([KerberosEncryptionType.DesCbcMd5, KerberosEncryptionType.DesCbcCrc], parsed.Credentials.Select(k => k.EncryptionType));
        Assert.Equal("d9b33eb064e385df", Convert.ToHexStringLower(parsed.Credentials[1].Key.Span));
        Assert.Equal("f191e9a7b561525d", Convert.ToHexStringLower(parsed.OldCredentials[0].Key.Span));
    }

    [Fact]
    public void Rule_revision_must_match()
    {
        byte[] data = SupplementalCredentialsBlobTests.Vector(nameof(DsInternalsVectors.KerberosCredentialNew_Vector2));
        Assert.Throws<SupplementalCredentialsFormatException>(() => KerberosStoredCredential.Parse(data));
    }

    [Fact]
    public void Rule_key_offset_outside_the_structure_is_rejected()
    {
        byte[] data = SupplementalCredentialsBlobTests.Vector(nameof(DsInternalsVectors.KerberosCredentialNew_Vector2));
        data[24 + 20] = 0xf0; // KeyOffset of the first entry.
        data[24 + 21] = 0xff;
        var ex = Assert.Throws<SupplementalCredentialsFormatException>(() => KerberosNewerKeysCredential.Parse(data));
        Assert.Contains("outside", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_salt_length_beyond_the_structure_is_rejected()
    {
        byte[] data = SupplementalCredentialsBlobTests.Vector(nameof(DsInternalsVectors.KerberosCredential_Vector1));
        data[8] = 0xff; // DefaultSaltLength.
        Assert.Throws<SupplementalCredentialsFormatException>(() => KerberosStoredCredential.Parse(data));
    }

    [Fact]
    public void Rule_entry_count_beyond_the_structure_is_rejected()
    {
        byte[] data = SupplementalCredentialsBlobTests.Vector(nameof(DsInternalsVectors.KerberosCredential_Vector1));
        data[4] = 0xff; // CredentialCount.
        Assert.Throws<SupplementalCredentialsFormatException>(() => KerberosStoredCredential.Parse(data));
    }

    private static KerberosStoredKey[] Copy(IReadOnlyList<KerberosStoredKey> keys) =>
        keys.Select(k => new KerberosStoredKey(k.EncryptionType, k.Key.Span, k.IterationCount)).ToArray();
}
