using PasswordHashSync.Replication;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.UnitTests.SupplementalCredentials;

namespace PasswordHashSync.UnitTests.Replication;

/// <summary>Vectors from DSInternals ReplicationSecretDecryptorTester (DSInternals @894f5ed Src/DSInternals.Replication.Test/ReplicationSecretDecryptorTester.cs).</summary>
public class ReplicatedSecretDecryptorTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void DecryptNtHash_published_vector_gives_nt_hash_of_PaSSw0rd()
    {
        using var decryptor = new ReplicatedSecretDecryptor(Hex("b0133bfc9ce59c805dd15d5872e247c5"));
        byte[] hash = decryptor.DecryptNtHash(Hex("e650e0179becf540e1e6dbe37deb38b379618228d74d9ff7e08a588c2a6fbd511ad78f61"), 500);
        Assert.Equal("92937945b518814341de3f726500d4ff", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Decrypt_dBCSPwd_published_vector_gives_lm_hash()
    {
        using var decryptor = new ReplicatedSecretDecryptor(Hex("7dfee67fc2476e6bc1b68563e5ee7614"));
        byte[] hash = decryptor.Decrypt(ReplicatedSecretKind.DbcsPwd, Hex("fd2db3a4edba8fb08cf372b701449c1c28ddb6fcd70226fa571d490f9798f30efe6454fc"), 35093);
        Assert.Equal("727e3576618fa1754a3b108f3fa6cb6d", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Decrypt_ntPwdHistory_published_vector_gives_four_hashes_newest_first()
    {
        using var decryptor = new ReplicatedSecretDecryptor(Hex("f029c008decee208f36450cc1f767892"));
        byte[] history = decryptor.Decrypt(
            ReplicatedSecretKind.NtPwdHistory,
            Hex("491e1b5e8ff95982ccedc4ff2c50ad5fe154650df83e8430ede739271da2e03d9aa99aa8d4b598ef56c9650eb71a233a9fd580f4d9c2dbc33f92e0002e1d2901050fb5d7f66ca3555e5befbf322cd23c1eeaaf7c"),
            1375);
        Assert.Equal(
            "a4ff9743bdda4849cb2108d2ceb5c5b9" + "185418d4b03fb6cfe90e71402220e807" + "4fed6755410545c28b519f30e02d54a2" + "92937945b518814341de3f726500d4ff",
            Convert.ToHexStringLower(history));
    }

    [Fact]
    public void Decrypt_supplementalCredentials_published_vector_has_no_rid_layer_and_parses()
    {
        using var decryptor = new ReplicatedSecretDecryptor(Hex("62a65b7b549b2bf5f5426feec9cf9536"));
        byte[] blob = decryptor.Decrypt(ReplicatedSecretKind.SupplementalCredentials, Hex(DsInternalsVectors.ReplicationSupplementalCredEncrypted), 0);
        Assert.Equal(2657, blob.Length);
        SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(blob);
        Assert.Equal("Pa$$w0rd3", parsed.GetCleartextPassword());
        Assert.Equal(29, parsed.WDigest!.Hashes.Count);
        Assert.Single(parsed.Kerberos!.Credentials);
        Assert.Equal(3, parsed.KerberosNewerKeys!.Credentials.Count);
        Assert.Equal(4096u, parsed.KerberosNewerKeys.DefaultIterationCount);
        Assert.Equal(["Kerberos-Newer-Keys", "Kerberos", "WDigest", "CLEARTEXT"], parsed.Packages);
        Assert.Equal(blob, parsed.ToByteArray());
    }

    [Fact]
    public void Session_key_change_uses_latest_key()
    {
        using var decryptor = new ReplicatedSecretDecryptor(new byte[16]);
        decryptor.AddSessionKey(Hex("b0133bfc9ce59c805dd15d5872e247c5"));
        Assert.Equal(2, decryptor.SessionKeyCount);
        Assert.Equal("92937945b518814341de3f726500d4ff",
            Convert.ToHexStringLower(decryptor.DecryptNtHash(Hex("e650e0179becf540e1e6dbe37deb38b379618228d74d9ff7e08a588c2a6fbd511ad78f61"), 500)));
    }

    [Fact]
    public void Session_key_change_falls_back_to_previous_key()
    {
        using var decryptor = new ReplicatedSecretDecryptor(Hex("b0133bfc9ce59c805dd15d5872e247c5"));
        decryptor.AddSessionKey(new byte[16]);
        Assert.Equal("92937945b518814341de3f726500d4ff",
            Convert.ToHexStringLower(decryptor.DecryptNtHash(Hex("e650e0179becf540e1e6dbe37deb38b379618228d74d9ff7e08a588c2a6fbd511ad78f61"), 500)));
    }

    [Fact]
    public void No_matching_session_key_throws_and_writes_nothing()
    {
        using var decryptor = new ReplicatedSecretDecryptor(new byte[16]);
        decryptor.AddSessionKey(Enumerable.Repeat((byte)0x11, 16).ToArray());
        byte[] destination = Enumerable.Repeat((byte)0xAA, 16).ToArray();
        var ex = Assert.Throws<ReplicatedSecretDecryptionException>(() =>
            decryptor.DecryptEnvelope(Hex("e650e0179becf540e1e6dbe37deb38b379618228d74d9ff7e08a588c2a6fbd511ad78f61"), destination));
        Assert.Contains("CRC", ex.Message, StringComparison.Ordinal);
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Rule_envelope_shorter_than_salt_and_crc_is_rejected() =>
        Assert.Throws<ReplicatedSecretDecryptionException>(() => new ReplicatedSecretDecryptor(new byte[16]).DecryptEnvelope(new byte[19]));

    [Fact]
    public void Rule_empty_value_means_absent() =>
        Assert.Empty(new ReplicatedSecretDecryptor(new byte[16]).Decrypt(ReplicatedSecretKind.UnicodePwd, [], 500));

    [Fact]
    public void Rule_session_key_must_be_at_least_16_bytes() =>
        Assert.Throws<ArgumentException>(() => new ReplicatedSecretDecryptor(new byte[15]));

    [Fact]
    public void Rule_unicodePwd_must_decrypt_to_16_bytes()
    {
        byte[] key = new byte[16];
        byte[] envelope = ReplicatedSecretDecryptor.EncryptEnvelope(key, new byte[16], new byte[32]);
        Assert.Throws<ReplicatedSecretDecryptionException>(() => new ReplicatedSecretDecryptor(key).DecryptNtHash(envelope, 500));
    }

    [Fact]
    public void Thirty_two_byte_kerberos_session_key_round_trips_through_the_envelope()
    {
        // A separately written envelope (BouncyCastle MD5 + RC4 directly) decrypts with the library.
        byte[] sessionKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        byte[] salt = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();
        byte[] secret = Enumerable.Range(0, 40).Select(i => (byte)(i * 7)).ToArray();
        var md5 = new Org.BouncyCastle.Crypto.Digests.MD5Digest();
        md5.BlockUpdate(sessionKey, 0, sessionKey.Length);
        md5.BlockUpdate(salt, 0, salt.Length);
        byte[] rc4Key = new byte[16];
        md5.DoFinal(rc4Key, 0);
        byte[] plain = [.. BitConverter.GetBytes(ZlibCrc32(secret)), .. secret];
        var rc4 = new Org.BouncyCastle.Crypto.Engines.RC4Engine();
        rc4.Init(true, new Org.BouncyCastle.Crypto.Parameters.KeyParameter(rc4Key));
        byte[] cipher = new byte[plain.Length];
        rc4.ProcessBytes(plain, 0, plain.Length, cipher, 0);
        using var decryptor = new ReplicatedSecretDecryptor(sessionKey);
        Assert.Equal(secret, decryptor.Decrypt(ReplicatedSecretKind.SupplementalCredentials, [.. salt, .. cipher], 0));
    }

    private static uint ZlibCrc32(byte[] data)
    {
        uint crc = uint.MaxValue;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
