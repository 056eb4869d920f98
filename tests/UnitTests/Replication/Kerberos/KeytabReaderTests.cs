using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication.Kerberos;

namespace PasswordHashSync.UnitTests.Replication.Kerberos;

/// <summary>The keytab reader reads what the core's KeytabWriter writes (MIT's klist reading the same files is the integration proof), and refuses malformed files.</summary>
public class KeytabReaderTests
{
    [Fact]
    public void Reads_every_entry_the_core_writer_wrote()
    {
        using KerberosKey aes = KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, "pw", "EXAMPLE.COMagent"u8.ToArray());
        using KerberosKey rc4 = KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Rc4Hmac, "pw", Array.Empty<byte>());
        byte[] file = KeytabWriter.ToBytes(
        [
            KeytabEntry.ForPrincipal("agent@EXAMPLE.COM", aes, 3, DateTimeOffset.UnixEpoch),
            KeytabEntry.ForPrincipal("agent@EXAMPLE.COM", rc4, 300, DateTimeOffset.UnixEpoch),
        ]);

        List<KeytabReader.Entry> entries = KeytabReader.Read(file);
        Assert.Equal(2, entries.Count);
        Assert.Equal("agent@EXAMPLE.COM", entries[0].Principal);
        Assert.Equal(18, entries[0].EncryptionType);
        Assert.Equal(3u, entries[0].KeyVersion);
        Assert.Equal(aes.Key.ToArray(), entries[0].Key);
        Assert.Equal(300u, entries[1].KeyVersion); // the trailing 32-bit kvno wins over the 8-bit one
        Assert.Equal(rc4.Key.ToArray(), entries[1].Key);
    }

    [Fact]
    public void Holes_are_skipped_and_truncations_refused()
    {
        using KerberosKey aes = KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes128CtsHmacSha196, "pw", "EXAMPLE.COMagent"u8.ToArray());
        byte[] file = KeytabWriter.ToBytes([KeytabEntry.ForPrincipal("agent@EXAMPLE.COM", aes, 1, DateTimeOffset.UnixEpoch)]);
        byte[] withHole = [.. file[..2], 0xFF, 0xFF, 0xFF, 0xFC, 0, 0, 0, 0, .. file[2..]];
        Assert.Single(KeytabReader.Read(withHole));

        for (int length = 0; length < file.Length; length++)
        {
            if (length == 2)
            {
                Assert.Empty(KeytabReader.Read(file.AsSpan(0, 2)));
                continue;
            }

            byte[] truncated = file[..length];
            Assert.Throws<InvalidDataException>(() => KeytabReader.Read(truncated));
        }

        Assert.Throws<InvalidDataException>(() => KeytabReader.Read([0x05, 0x01]));
    }
}
