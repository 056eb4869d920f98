using System.Buffers.Binary;
using System.Text;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// The MIT keytab 0x0502 layout, read back by a parser written here from the format description (MIT
/// keytab.txt): big-endian, per entry size, component count, realm, components, name type, timestamp, kvno8,
/// enctype, key, kvno32. The integration tests check the same files with MIT klist and kinit.
/// </summary>
public class CliKeytabWriterTests
{
    [Fact]
    public void Entries_round_trip_through_an_independent_reader()
    {
        byte[] aesKey = Convert.FromHexString("fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161");
        using var aes = new KerberosKey(KerberosEncryptionType.Aes256CtsHmacSha196, aesKey, "ATHENA.MIT.EDUraeburn"u8, 1);
        using var rc4 = new KerberosKey(KerberosEncryptionType.Rc4Hmac, Convert.FromHexString("a4f49c406510bdcab6824ee7c30fd852"), [], 0);
        var time = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        byte[] file = KeytabWriter.ToBytes(
        [
            KeytabEntry.ForPrincipal("raeburn@ATHENA.MIT.EDU", aes, 300, time),
            new KeytabEntry("EXAMPLE.COM", ["host", "pc1.example.com"], rc4, 2, time, KeytabEntry.ServiceHostNameType),
        ]);

        List<(string Realm, string[] Components, int NameType, uint Time, byte Kvno8, int Etype, string Key, uint Kvno32)> entries = Read(file);

        Assert.Equal(2, entries.Count);
        Assert.Equal(("ATHENA.MIT.EDU", 1, (uint)time.ToUnixTimeSeconds(), (byte)(300 & 0xff), 18, Convert.ToHexStringLower(aesKey), 300u),
            (entries[0].Realm, entries[0].NameType, entries[0].Time, entries[0].Kvno8, entries[0].Etype, entries[0].Key, entries[0].Kvno32));
        Assert.Equal(["raeburn"], entries[0].Components);
        Assert.Equal(["host", "pc1.example.com"], entries[1].Components);
        Assert.Equal((3, 23, "a4f49c406510bdcab6824ee7c30fd852", 2u), (entries[1].NameType, entries[1].Etype, entries[1].Key, entries[1].Kvno32));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Library_WriteFile_replaces_a_0644_file_with_a_0600_one_and_refuses_a_symbolic_link()
    {
        string folder = Path.Combine(Path.GetTempPath(), "phs-keytab-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            using var rc4 = new KerberosKey(KerberosEncryptionType.Rc4Hmac, Convert.FromHexString("a4f49c406510bdcab6824ee7c30fd852"), [], 0);
            KeytabEntry[] entries = [KeytabEntry.ForPrincipal("alice@EXAMPLE.COM", rc4, 1, DateTimeOffset.UnixEpoch)];
            string keytab = Path.Combine(folder, "alice.keytab");
            File.WriteAllText(keytab, "old");
            File.SetUnixFileMode(keytab, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            KeytabWriter.WriteFile(keytab, entries);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keytab));
            Assert.Equal(KeytabWriter.ToBytes(entries), File.ReadAllBytes(keytab));

            string victim = Path.Combine(folder, "victim");
            File.WriteAllText(victim, "victim");
            string link = Path.Combine(folder, "link.keytab");
            File.CreateSymbolicLink(link, victim);
            Assert.Throws<IOException>(() => KeytabWriter.WriteFile(link, entries));
            Assert.Equal("victim", File.ReadAllText(victim));
            Assert.Equal(["alice.keytab", "link.keytab", "victim"], System.IO.Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Keytab_command_with_the_AD_computer_salt_writes_the_Kerberos_NET_published_key()
    {
        string path = Path.Combine(Path.GetTempPath(), "phs-cli-" + Guid.NewGuid().ToString("N") + ".keytab");
        try
        {
            // Kerberos.NET: P@ssw0rd!, salt DOMAIN.COMhostappservice.domain.com, aes256 -> 3717...
            CliRunner.Outcome result = CliRunner.Run(
                "P@ssw0rd!\n", "keytab", "--principal", "host/appservice.domain.com@DOMAIN.COM", "--output", path,
                "--etype", "aes256-cts-hmac-sha1-96", "--account", "appservice$", "--account-type", "computer", "--kvno", "258", "--password-stdin");
            Assert.Equal(0, result.ExitCode);
            var entry = Assert.Single(Read(File.ReadAllBytes(path)));
            Assert.Equal("DOMAIN.COM", entry.Item1);
            Assert.Equal(["host", "appservice.domain.com"], entry.Item2);
            Assert.Equal("37178c78c2f4ada2e0692801683d9df9255f775290dc504ea44414f7a447ae94", entry.Item7);
            Assert.Equal((byte)2, entry.Item5);
            Assert.Equal(258u, entry.Item8);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Keytab_command_without_principal_or_output_is_a_usage_error()
    {
        Assert.Equal(2, CliRunner.Run("x", "keytab", "--output", "/tmp/never", "--password-stdin").ExitCode);
        Assert.Equal(2, CliRunner.Run("x", "keytab", "--principal", "a@B", "--password-stdin").ExitCode);
        Assert.Equal(2, CliRunner.Run("x", "keytab", "--principal", "no-realm", "--output", "/tmp/never", "--password-stdin").ExitCode);
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("alice@")]
    [InlineData("@REALM")]
    [InlineData("a//b@REALM")]
    [InlineData("a\\@b@REALM")]
    public void A_malformed_principal_is_a_FormatException(string principal)
    {
        Assert.Throws<FormatException>(() => KeytabEntry.ParsePrincipal(principal));
    }

    [Fact]
    public void Bad_entry_arguments_name_the_parameter()
    {
        using var key = new KerberosKey(KerberosEncryptionType.Rc4Hmac, new byte[16], [], 0);
        Assert.Equal("realm", Assert.Throws<ArgumentException>(() => new KeytabEntry("", ["a"], key, 1, DateTimeOffset.UnixEpoch)).ParamName);
        Assert.Equal("nameComponents", Assert.Throws<ArgumentException>(() => new KeytabEntry("R", [], key, 1, DateTimeOffset.UnixEpoch)).ParamName);
        Assert.Equal("keyVersionNumber", Assert.Throws<ArgumentOutOfRangeException>(() => new KeytabEntry("R", ["a"], key, -1, DateTimeOffset.UnixEpoch)).ParamName);
        Assert.Equal("timestamp", Assert.Throws<ArgumentOutOfRangeException>(() => new KeytabEntry("R", ["a"], key, 1, new DateTimeOffset(1960, 1, 1, 0, 0, 0, TimeSpan.Zero))).ParamName);
    }

    private static List<(string, string[], int, uint, byte, int, string, uint)> Read(byte[] file)
    {
        Assert.Equal(0x05, file[0]);
        Assert.Equal(0x02, file[1]);
        var result = new List<(string, string[], int, uint, byte, int, string, uint)>();
        int offset = 2;
        while (offset < file.Length)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
            int end = offset + 4 + size;
            int p = offset + 4;
            int count = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(p));
            p += 2;
            string realm = CountedString(file, ref p);
            string[] components = new string[count];
            for (int i = 0; i < count; i++)
            {
                components[i] = CountedString(file, ref p);
            }
            int nameType = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(p));
            uint time = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(p + 4));
            byte kvno8 = file[p + 8];
            int etype = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(p + 9));
            int keyLength = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(p + 11));
            string key = Convert.ToHexStringLower(file.AsSpan(p + 13, keyLength));
            p += 13 + keyLength;
            uint kvno32 = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(p));
            Assert.Equal(end, p + 4);
            result.Add((realm, components, nameType, time, kvno8, etype, key, kvno32));
            offset = end;
        }
        return result;
    }

    private static string CountedString(byte[] file, ref int p)
    {
        int length = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(p));
        string value = Encoding.UTF8.GetString(file, p + 2, length);
        p += 2 + length;
        return value;
    }
}
