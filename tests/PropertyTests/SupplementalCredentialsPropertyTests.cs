using FsCheck.Xunit;
using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.PropertyTests;

/// <summary>
/// Write-then-read identity for the supplementalCredentials structures, and robustness of the parsers against truncated
/// and bit-flipped real blobs (Samba's, from samples/directory.ldif, and a Windows-layout blob): the only failure
/// allowed is <see cref="SupplementalCredentialsFormatException"/>.
/// </summary>
public class SupplementalCredentialsPropertyTests
{
    private static readonly Lazy<byte[][]> s_realBlobs = new(LoadRealBlobs);

    private static byte[][] RealBlobs => s_realBlobs.Value;

    [Property(MaxTest = 200)]
    public void Newer_keys_credential_write_then_read_returns_the_same_credentials(int seed)
    {
        var random = new Random(seed);
        var credential = new KerberosNewerKeysCredential(
            RandomSalt(random), (uint)random.Next(), RandomKeys(random, newer: true), RandomKeys(random, newer: true), RandomKeys(random, newer: true), RandomKeys(random, newer: true));
        byte[] bytes = credential.ToByteArray();
        KerberosNewerKeysCredential read = KerberosNewerKeysCredential.Parse(bytes);
        Assert.Equal(credential.DefaultSalt, read.DefaultSalt);
        Assert.Equal(credential.DefaultIterationCount, read.DefaultIterationCount);
        AssertSameKeys(credential.Credentials, read.Credentials);
        AssertSameKeys(credential.ServiceCredentials, read.ServiceCredentials);
        AssertSameKeys(credential.OldCredentials, read.OldCredentials);
        AssertSameKeys(credential.OlderCredentials, read.OlderCredentials);
        Assert.Equal(bytes, read.ToByteArray());
    }

    [Property(MaxTest = 200)]
    public void Kerberos_credential_write_then_read_returns_the_same_credentials(int seed)
    {
        var random = new Random(seed);
        var credential = new KerberosStoredCredential(RandomSalt(random), RandomKeys(random, newer: false), RandomKeys(random, newer: false));
        byte[] bytes = credential.ToByteArray();
        KerberosStoredCredential read = KerberosStoredCredential.Parse(bytes);
        Assert.Equal(credential.DefaultSalt, read.DefaultSalt);
        AssertSameKeys(credential.Credentials, read.Credentials);
        AssertSameKeys(credential.OldCredentials, read.OldCredentials);
        Assert.Equal(bytes, read.ToByteArray());
    }

    [Property(MaxTest = 100)]
    public void Blob_write_then_read_returns_the_same_properties(int seed, bool uppercase)
    {
        var random = new Random(seed);
        var properties = new List<UserProperty>
        {
            new(SupplementalCredentialsPropertyNames.KerberosNewerKeys, new KerberosNewerKeysCredential(RandomSalt(random), 4096, RandomKeys(random, true)).ToByteArray(), 1, uppercase),
            new(SupplementalCredentialsPropertyNames.Kerberos, new KerberosStoredCredential(RandomSalt(random), RandomKeys(random, false)).ToByteArray(), 1, uppercase),
            new(SupplementalCredentialsPropertyNames.WDigest, WDigestCredentials.Compute(RandomSalt(random), "sam" + seed, "NB", "nb.example").ToByteArray(), 1, uppercase),
        };
        for (int i = random.Next(3); i > 0; i--)
        {
            byte[] value = new byte[random.Next(0, 64)];
            random.NextBytes(value);
            properties.Add(new UserProperty("Unknown:" + RandomSalt(random) + i, value, (ushort)random.Next(0, 65536), uppercase));
        }

        var blob = new SupplementalCredentialsBlob(properties, (byte)random.Next(256));
        byte[] bytes = blob.ToByteArray();
        SupplementalCredentialsBlob read = SupplementalCredentialsBlob.Parse(bytes);
        Assert.Equal(properties.Select(p => (p.Name, Convert.ToHexString(p.Value.Span), p.Reserved)), read.Properties.Select(p => (p.Name, Convert.ToHexString(p.Value.Span), p.Reserved)));
        Assert.Equal(blob.Reserved5, read.Reserved5);
        Assert.Equal(bytes, read.ToByteArray());
    }

    [Property(MaxTest = 500)]
    public void Truncated_real_blobs_parse_or_throw_only_the_format_exception(int seed)
    {
        var random = new Random(seed);
        byte[] blob = RealBlobs[random.Next(RealBlobs.Length)];
        int length = random.Next(blob.Length);
        ParseEverything(blob.AsSpan(0, length).ToArray());
    }

    [Property(MaxTest = 1000)]
    public void Bit_flipped_real_blobs_parse_or_throw_only_the_format_exception(int seed)
    {
        var random = new Random(seed);
        byte[] blob = (byte[])RealBlobs[random.Next(RealBlobs.Length)].Clone();
        // Flips land anywhere: header, counts, lengths, offsets, hex digits; a decoded-value flip is done below too.
        for (int flips = random.Next(1, 4); flips > 0; flips--)
        {
            int index = random.Next(blob.Length);
            blob[index] ^= (byte)(1 << random.Next(8));
        }

        ParseEverything(blob);
    }

    [Property(MaxTest = 1000)]
    public void Bit_flipped_decoded_kerberos_structures_parse_or_throw_only_the_format_exception(int seed)
    {
        var random = new Random(seed);
        SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(RealBlobs[random.Next(RealBlobs.Length)]);
        byte[][] values =
        [
            parsed.KerberosNewerKeys!.ToByteArray(),
            parsed.Kerberos!.ToByteArray(),
            parsed.WDigest!.ToByteArray(),
        ];
        byte[] value = values[random.Next(values.Length)];
        for (int flips = random.Next(1, 4); flips > 0; flips--)
        {
            value[random.Next(value.Length)] ^= (byte)(1 << random.Next(8));
        }

        int cut = random.Next(2) == 0 ? value.Length : random.Next(value.Length);
        Guard(() => KerberosNewerKeysCredential.Parse(value.AsSpan(0, cut)).ToByteArray());
        Guard(() => KerberosStoredCredential.Parse(value.AsSpan(0, cut)).ToByteArray());
        Guard(() => WDigestCredentials.Parse(value.AsSpan(0, cut)).ToByteArray());
    }

    [Property(MaxTest = 200)]
    public void Replicated_envelope_round_trips_and_any_bit_flip_is_rejected(int seed)
    {
        var random = new Random(seed);
        byte[] sessionKey = new byte[random.Next(2) == 0 ? 16 : 32];
        byte[] salt = new byte[16];
        byte[] secret = new byte[random.Next(0, 200)];
        random.NextBytes(sessionKey);
        random.NextBytes(salt);
        random.NextBytes(secret);
        byte[] envelope = ReplicatedSecretDecryptor.EncryptEnvelope(sessionKey, salt, secret);
        using var decryptor = new ReplicatedSecretDecryptor(sessionKey);
        Assert.Equal(secret, decryptor.DecryptEnvelope(envelope));

        envelope[random.Next(envelope.Length)] ^= (byte)(1 << random.Next(8));
        Assert.Throws<ReplicatedSecretDecryptionException>(() => decryptor.DecryptEnvelope(envelope));
    }

    private static void ParseEverything(byte[] blob) => Guard(() =>
    {
        SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(blob);
        _ = parsed.ToByteArray();
        _ = parsed.GetCurrentKerberosKeys();
        _ = parsed.KerberosNewerKeys?.GetOldKeys();
        _ = parsed.GetCleartextPassword();
        _ = parsed.ToString();
    });

    private static void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (SupplementalCredentialsFormatException)
        {
            // The documented failure.
        }
    }

    private static void AssertSameKeys(IReadOnlyList<KerberosStoredKey> expected, IReadOnlyList<KerberosStoredKey> actual) =>
        Assert.Equal(
            expected.Select(k => (k.EncryptionType, Convert.ToHexString(k.Key.Span), k.IterationCount)),
            actual.Select(k => (k.EncryptionType, Convert.ToHexString(k.Key.Span), k.IterationCount)));

    private static string RandomSalt(Random random)
    {
        // Any UTF-16 code units, lone surrogates included: the salt must survive unchanged.
        char[] chars = new char[random.Next(0, 40)];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = random.Next(4) == 0 ? (char)random.Next(0xD800, 0xE000) : (char)random.Next(0x20, 0x250);
        }

        return new string(chars);
    }

    private static KerberosStoredKey[] RandomKeys(Random random, bool newer)
    {
        KerberosEncryptionType[] types =
            [KerberosEncryptionType.Aes256CtsHmacSha196, KerberosEncryptionType.Aes128CtsHmacSha196, KerberosEncryptionType.DesCbcMd5, KerberosEncryptionType.DesCbcCrc, KerberosEncryptionType.Rc4Hmac, (KerberosEncryptionType)(-149)];
        var keys = new KerberosStoredKey[random.Next(0, 5)];
        for (int i = 0; i < keys.Length; i++)
        {
            byte[] key = new byte[random.Next(0, 40)];
            random.NextBytes(key);
            keys[i] = new KerberosStoredKey(types[random.Next(types.Length)], key, newer ? (uint)random.Next() : 0);
        }

        return keys;
    }

    private static byte[][] LoadRealBlobs()
    {
        var blobs = LdifDirectoryReader.ReadFile(Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif"))
            .Where(u => !u.SupplementalCredentials.IsEmpty)
            .Select(u => u.SupplementalCredentials.ToArray())
            .ToList();

        // A Windows-layout blob (lowercase hex, a padding entry, NTLM-Strong-NTOWF, CLEARTEXT) beside Samba's.
        blobs.Add(SupplementalCredentialsGenerator.Generate("Pa$$w0rd", new SupplementalCredentialsAccount
        {
            SamAccountName = "user02", NetBiosDomainName = "ADATUM", DnsDomainName = "Adatum.com", StoreCleartext = true,
            NtlmStrongNtowf = new byte[16], Reserved5 = 1,
        }).ToByteArray());
        Assert.True(blobs.Count >= 12);
        return [.. blobs];
    }
}
