using System.Security.Cryptography;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Hostile;

/// <summary>
/// Rule (issue 13 item 7): the holders of parsed credential bytes own one copy, zero it on Dispose, and refuse to hand
/// it out afterwards. Each test keeps the memory it was given before Dispose and checks that those very bytes are
/// zero: a holder that copied on every access, or kept the caller's array, fails.
/// </summary>
public class SecretDisposalTests
{
    [Fact]
    public void UserProperty_copies_its_value_and_zeroes_it_on_dispose()
    {
        byte[] given = RandomNumberGenerator.GetBytes(40);
        byte[] expected = [.. given];
        var property = new UserProperty("Primary:CLEARTEXT", given);
        Array.Clear(given); // the caller wipes its own array: the property kept a copy
        ReadOnlyMemory<byte> value = property.Value;
        Assert.Equal(expected, value.ToArray());
        Assert.True(value.Span == property.Value.Span, "every access returns the one copy");

        property.Dispose();

        Assert.True(value.Span.IndexOfAnyExcept((byte)0) < 0, "the value is zeroed");
        Assert.Throws<ObjectDisposedException>(() => property.Value);
    }

    [Fact]
    public void KerberosStoredKey_copies_its_key_and_zeroes_it_on_dispose()
    {
        byte[] given = RandomNumberGenerator.GetBytes(32);
        var key = new KerberosStoredKey(KerberosEncryptionType.Aes256CtsHmacSha196, given, 4096);
        Assert.True(key.Key.Span.SequenceEqual(given));
        Array.Clear(given);
        ReadOnlyMemory<byte> bytes = key.Key;
        Assert.True(bytes.Span.IndexOfAnyExcept((byte)0) >= 0, "the stored key is the holder's own copy");

        key.Dispose();

        Assert.True(bytes.Span.IndexOfAnyExcept((byte)0) < 0, "the key is zeroed");
        Assert.Throws<ObjectDisposedException>(() => key.Key);
        Assert.Throws<ObjectDisposedException>(() => key.ToKerberosKey("CONTOSO.COMalice"u8));
    }

    [Fact]
    public void A_parsed_blob_zeroes_its_property_values_and_decoded_keys_on_dispose()
    {
        byte[] keyBytes = RandomNumberGenerator.GetBytes(32);
        SupplementalCredentialsBlob blob = SupplementalCredentialsBlob.Parse(SupplementalCredentialsTestBlob.WithAes256Key(Convert.ToHexString(keyBytes)));
        ReadOnlyMemory<byte> value = blob.Properties[0].Value;
        KerberosNewerKeysCredential newer = blob.KerberosNewerKeys!;
        ReadOnlyMemory<byte> key = newer.Credentials[0].Key;
        Assert.True(key.Span.SequenceEqual(keyBytes));

        blob.Dispose();

        Assert.True(value.Span.IndexOfAnyExcept((byte)0) < 0, "the property value is zeroed");
        Assert.True(key.Span.IndexOfAnyExcept((byte)0) < 0, "the decoded key is zeroed");
        Assert.Throws<ObjectDisposedException>(() => blob.ToByteArray());
        Assert.Throws<ObjectDisposedException>(() => newer.Credentials[0].Key);
    }
}
