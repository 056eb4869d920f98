using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.SupplementalCredentials;

/// <summary>The keys-only walk of supplementalCredentials against the full parser, on Samba's blobs and on broken ones.</summary>
public class SupplementalCredentialsKeyReaderTests
{
    private static byte[][] SampleBlobs() =>
        [.. LdifDirectoryReader.ReadFile(Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif"))
            .Where(u => !u.SupplementalCredentials.IsEmpty)
            .Select(u => u.SupplementalCredentials.ToArray())];

    private static string[] Describe(IReadOnlyList<KerberosKey> keys) =>
        [.. keys.Select(k => $"{(int)k.EncryptionType}:{Convert.ToHexString(k.Key.Span)}:{Convert.ToHexString(k.Salt.Span)}:{k.IterationCount}")];

    [Fact]
    public void Every_sample_blob_takes_the_walk_and_gives_the_full_parsers_keys()
    {
        byte[][] blobs = SampleBlobs();
        Assert.True(blobs.Length >= 10);
        foreach (byte[] blob in blobs)
        {
            Assert.True(SupplementalCredentialsKeyReader.TryExtract(blob, out IReadOnlyList<KerberosKey>? keys));
            using SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(blob);
            string[] expected = Describe(parsed.GetCurrentKerberosKeys());
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Describe(keys));
        }
    }

    [Fact]
    public void A_duplicate_property_a_bad_hex_digit_and_a_short_WDigest_give_the_full_parsers_exception()
    {
        byte[] blob = SampleBlobs()[0];
        using SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(blob);
        // Two names of one length, the second then overwritten with the first (the constructor refuses duplicates).
        byte[] duplicate = new SupplementalCredentialsBlob([new UserProperty("Primary:AAAA", [1]), new UserProperty("Primary:BBBB", [2])]).ToByteArray();
        byte[] second = System.Text.Encoding.Unicode.GetBytes("Primary:BBBB");
        System.Text.Encoding.Unicode.GetBytes("Primary:AAAA").CopyTo(duplicate, duplicate.AsSpan().IndexOf(second));
        byte[] badHex = (byte[])blob.Clone();
        badHex[^2] = (byte)'G';
        // A WDigest header with no hashes, its hash count (fourth byte) then set to 1: the hash is missing.
        byte[] shortWDigest = new SupplementalCredentialsBlob([new UserProperty(SupplementalCredentialsPropertyNames.WDigest, new byte[16])]).ToByteArray();
        int hex = shortWDigest.AsSpan().IndexOf(new string('0', 32).Select(c => (byte)c).ToArray());
        shortWDigest[hex + 7] = (byte)'1';
        foreach (byte[] broken in (byte[][])[duplicate, badHex, shortWDigest])
        {
            Assert.False(SupplementalCredentialsKeyReader.TryExtract(broken, out _));
            string expected = Assert.Throws<SupplementalCredentialsFormatException>(() => SupplementalCredentialsBlob.Parse(broken)).Message;
            Assert.Equal(expected, Assert.Throws<SupplementalCredentialsFormatException>(() => SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(broken)).Message);
        }
    }

    [Fact]
    public void A_Primary_Kerberos_key_missing_from_the_newer_keys_is_added_as_the_full_parser_adds_it()
    {
        // The walk skips Primary:Kerberos when its keys are all in Primary:Kerberos-Newer-Keys (every sample blob);
        // here the newer keys lack DES-CBC-MD5 and RC4, so both come from Primary:Kerberos, after the AES key.
        var newer = new KerberosNewerKeysCredential("EXAMPLE.TESTalice", 4096, [new KerberosStoredKey(KerberosEncryptionType.Aes256CtsHmacSha196, Enumerable.Range(1, 32).Select(i => (byte)i).ToArray())]);
        var older = new KerberosStoredCredential("EXAMPLE.TESTalice", [
            new KerberosStoredKey(KerberosEncryptionType.DesCbcMd5, [9, 8, 7, 6, 5, 4, 3, 2]),
            new KerberosStoredKey(KerberosEncryptionType.Aes256CtsHmacSha196, new byte[32]),
            new KerberosStoredKey(KerberosEncryptionType.Rc4Hmac, Enumerable.Range(100, 16).Select(i => (byte)i).ToArray())]);
        byte[] blob = new SupplementalCredentialsBlob([
            new UserProperty(SupplementalCredentialsPropertyNames.KerberosNewerKeys, newer.ToByteArray()),
            new UserProperty(SupplementalCredentialsPropertyNames.Kerberos, older.ToByteArray())]).ToByteArray();
        Assert.True(SupplementalCredentialsKeyReader.TryExtract(blob, out IReadOnlyList<KerberosKey>? keys));
        using SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(blob);
        string[] expected = Describe(parsed.GetCurrentKerberosKeys());
        Assert.Equal(3, expected.Length);
        Assert.Equal(expected, Describe(keys));
    }
}
