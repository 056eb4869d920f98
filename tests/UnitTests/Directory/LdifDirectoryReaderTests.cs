using System.Text;
using System.Text.Json;
using PasswordHashSync.Directory;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Directory;

[Collection(MemoryMeasurements.Name)]
public class LdifDirectoryReaderTests
{
    private static List<DirectoryUser> Read(string ldif) => LdifDirectoryReader.Read(new StringReader(ldif)).ToList();

    [Fact]
    public void Reads_folded_lines_base64_values_comments_and_version()
    {
        // objectSid S-1-5-21-1-2-3-1105 in binary; unicodePwd = NT("Pa$$w0rd") (published: reference notes 5.2).
        byte[] sid = [1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0x51, 0x04, 0, 0];
        string ldif =
            "version: 1\n" +
            "# a comment\n" +
            "#  folded comment\n" +
            " continued\n" +
            "dn: CN=Alice Smith,OU=Staff,DC=contoso\n" +
            " ,DC=com\n" +
            "objectClass: top\n" +
            "objectClass: person\n" +
            "objectClass: user\n" +
            "sAMAccountName: alice\n" +
            "userPrincipalName:: " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alicé@contoso.com")) + "\n" +
            "objectSid:: " + Convert.ToBase64String(sid) + "\n" +
            "objectGUID:: " + Convert.ToBase64String(Convert.FromHexString("33221100554477668899aabbccddeeff")) + "\n" +
            "userAccountControl: 66048\n" +
            "pwdLastSet: 133000000000000000\n" +
            "adminDescription: PHSIncluded\n" +
            "unicodePwd:: kpN5RbUYgUNB3j9yZQDU/w==\n" +
            "thumbnailPhoto;binary:: AAEC\n";
        DirectoryUser user = Assert.Single(Read(ldif));
        Assert.Equal("CN=Alice Smith,OU=Staff,DC=contoso,DC=com", user.DistinguishedName);
        Assert.Equal(["top", "person", "user"], user.ObjectClasses);
        Assert.Equal("alice", user.SamAccountName);
        Assert.Equal("alicé@contoso.com", user.UserPrincipalName);
        Assert.Equal(1105u, user.Rid);
        Assert.Equal(sid, user.ObjectSid.ToArray());
        Assert.Equal(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), user.ObjectGuid);
        Assert.Equal(UserAccountControl.NormalAccount | UserAccountControl.DontExpirePassword, user.UserAccountControl);
        Assert.Equal(133000000000000000, user.PwdLastSet);
        Assert.Equal(new DateTimeOffset(2022, 6, 18, 4, 26, 40, TimeSpan.Zero), user.PasswordLastChanged);
        Assert.Equal("PHSIncluded", user.AdminDescription); // FILETIME checked with Python: 2022-06-18 04:26:40 UTC above.
        Assert.Equal("92937945b518814341de3f726500d4ff", Convert.ToHexStringLower(user.NtHash.Span));
        Assert.True(user.SupplementalCredentials.IsEmpty);
    }

    [Fact]
    public void Reads_text_sids_and_guids_as_Samba_writes_them_and_crlf_line_ends()
    {
        string ldif = "dn: CN=a,DC=x\r\nobjectSid: S-1-5-21-432486012-1990622117-3636743236-1112\r\nobjectGUID: d78f0709-0d24-4d5f-9b21-a212529b90ce\r\npwdLastSet: 0\r\n\r\n\r\ndn: CN=b,DC=x\r\n";
        List<DirectoryUser> users = Read(ldif);
        Assert.Equal(2, users.Count);
        Assert.Equal(1112u, users[0].Rid);
        Assert.Equal("010500000000000515000000", Convert.ToHexStringLower(users[0].ObjectSid.Span[..12]));
        Assert.Equal(Guid.Parse("d78f0709-0d24-4d5f-9b21-a212529b90ce"), users[0].ObjectGuid);
        Assert.Null(users[0].PasswordLastChanged);
        Assert.Null(users[1].PwdLastSet);
    }

    [Fact]
    public void Accepts_the_changetype_add_that_ldifde_writes_on_every_exported_entry()
    {
        // ldifde output shape: binary objectSid/objectGUID in base64, and "changetype: add" after each DN.
        DirectoryUser user = Assert.Single(Read("dn: CN=a,DC=x\nchangetype: add\nobjectClass: user\nsAMAccountName: a\n"));
        Assert.Equal("a", user.SamAccountName);
    }

    [Fact]
    public void Skips_search_referral_records()
    {
        List<DirectoryUser> users = Read("dn: CN=a,DC=x\n\n# Referral\nref: ldap:///CN=Configuration,DC=x\n\ndn: CN=b,DC=x\n");
        Assert.Equal(["CN=a,DC=x", "CN=b,DC=x"], users.Select(u => u.DistinguishedName));
    }

    [Theory]
    [InlineData("dn: CN=a,DC=x\nchangetype: modify\nreplace: description\ndescription: y\n-\n", "change record")]
    [InlineData("dn: CN=a,DC=x\nchangetype: delete\n", "change record")]
    [InlineData("dn: CN=a,DC=x\nsn: b\nchangetype: add\n", "change record")]
    [InlineData("dn: CN=a,DC=x\nphoto:< file:///etc/passwd\n", "URL")]
    [InlineData(" leading continuation\n", "continuation")]
    [InlineData("objectClass: user\n", "must start with 'dn:'")]
    [InlineData("dn: CN=a,DC=x\nnocolon\n", "no colon")]
    [InlineData("dn: CN=a,DC=x\nunicodePwd:: AAEC\n", "16-byte NT hash")]
    [InlineData("dn: CN=a,DC=x\nsupplementalCredentials:: not*base64\n", "base64")]
    [InlineData("dn: CN=a,DC=x\nuserAccountControl: lots\n", "not an integer")]
    [InlineData("dn: CN=a,DC=x\nobjectSid: S-1-x\n", "objectSid")]
    [InlineData("version: 2\n", "version")]
    public void Rule_malformed_or_unsupported_input_is_rejected_with_a_clear_message(string ldif, string expected)
    {
        var ex = Assert.Throws<LdifFormatException>(() => Read(ldif));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_names_the_line()
    {
        var ex = Assert.Throws<LdifFormatException>(() => Read("dn: CN=a,DC=x\nsn: b\n\ndn: CN=c,DC=x\nchangetype: modify\n"));
        Assert.Equal(5, ex.LineNumber);
    }

    [Fact]
    public void Streams_records_one_at_a_time_with_flat_memory()
    {
        // 200 000 records (~100 MB of LDIF) produced on the fly: memory after reading all of them stays near the start.
        const int count = 200_000;
        using var reader = new GeneratedLdifReader(count);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long seen = 0;
        long peak = 0;
        foreach (DirectoryUser user in LdifDirectoryReader.Read(reader))
        {
            seen++;
            if (seen % 50_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
        }

        Assert.Equal(count, seen);
        Assert.True(peak < 16 * 1024 * 1024, $"memory grew by {peak} bytes while streaming");
    }

    [Fact]
    public async Task ReadAsync_gives_the_same_objects_as_Read()
    {
        string ldif = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif"));
        var asyncUsers = new List<DirectoryUser>();
        await foreach (DirectoryUser user in LdifDirectoryReader.ReadAsync(new StringReader(ldif)))
        {
            asyncUsers.Add(user);
        }

        Assert.Equal(Read(ldif).Select(u => u.DistinguishedName), asyncUsers.Select(u => u.DistinguishedName));
    }

    [Fact]
    public void Bundled_sample_directory_nt_hashes_match_the_documented_passwords()
    {
        // samples/directory.ldif was exported from a real Samba DC; Samba computed these NT hashes.
        string samples = Path.Combine(RepositoryPaths.Root, "samples");
        List<DirectoryUser> users = LdifDirectoryReader.ReadFile(Path.Combine(samples, "directory.ldif")).ToList();
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(samples, "directory.manifest.json")));
        int checkedUsers = 0;
        foreach (JsonElement account in manifest.RootElement.GetProperty("accounts").EnumerateArray())
        {
            string? password = account.GetProperty("password").GetString();
            if (password is null)
            {
                continue;
            }

            DirectoryUser user = users.Single(u => u.SamAccountName == account.GetProperty("sAMAccountName").GetString());
            Assert.Equal(Convert.ToHexStringLower(NtHash.Compute(password)), Convert.ToHexStringLower(user.NtHash.Span));
            Assert.NotEmpty(SupplementalCredentialsBlob.Parse(user.SupplementalCredentials.Span).GetCurrentKerberosKeys());
            checkedUsers++;
        }

        Assert.Equal(11, checkedUsers);
        Assert.Equal(12, users.Count);
    }

    [Fact]
    public void Docs_onprem_sample_code_runs_on_the_bundled_export()
    {
        // The code sample of docs/onprem.md (reading a directory export), writing to a StringWriter instead of the console.
        var output = new StringWriter();
        foreach (DirectoryUser user in LdifDirectoryReader.ReadFile(Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif")))
        {
            IReadOnlyList<Kerberos.KerberosKey> keys = user.SupplementalCredentials.IsEmpty
                ? []
                : SupplementalCredentialsBlob.Parse(user.SupplementalCredentials.Span).GetCurrentKerberosKeys();
            output.WriteLine(
                $"{user.SamAccountName ?? user.DistinguishedName}: NT hash {(user.NtHash.IsEmpty ? "absent" : "present")}, " +
                $"Kerberos keys: {string.Join(", ", keys.Select(k => Kerberos.KerberosEncryptionTypes.GetName(k.EncryptionType)))}");
        }

        string text = output.ToString();
        Assert.Contains("Alice.Smith: NT hash present, Kerberos keys: aes256-cts-hmac-sha1-96, aes128-cts-hmac-sha1-96, des-cbc-md5, des-cbc-crc", text, StringComparison.Ordinal);
        Assert.Contains("CN=Zoe External,OU=Staff,DC=phs,DC=example,DC=test: NT hash absent, Kerberos keys: " + Environment.NewLine, text, StringComparison.Ordinal);
    }

    /// <summary>An LDIF source of any length that never exists in memory as a whole.</summary>
    /// <summary>Generates the LDIF line by line; <see cref="Read(Span{char})"/> (what the reader uses) hands out the same text.</summary>
    private sealed class GeneratedLdifReader(int records) : TextReader
    {
        private static readonly string s_blob = Convert.ToBase64String(new byte[300]);
        private int _record;
        private int _line;
        private string _pending = string.Empty;
        private int _pendingPosition;

        public override int Read(Span<char> buffer)
        {
            if (_pendingPosition == _pending.Length)
            {
                string? line = ReadLine();
                if (line is null)
                {
                    return 0;
                }

                _pending = line + "\n";
                _pendingPosition = 0;
            }

            int n = Math.Min(buffer.Length, _pending.Length - _pendingPosition);
            _pending.AsSpan(_pendingPosition, n).CopyTo(buffer);
            _pendingPosition += n;
            return n;
        }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override string? ReadLine()
        {
            if (_record >= records)
            {
                return null;
            }

            string line = _line switch
            {
                0 => $"dn: CN=user{_record},OU=Staff,DC=contoso,DC=com",
                1 => "objectClass: user",
                2 => $"sAMAccountName: user{_record}",
                3 => "unicodePwd:: kpN5RbUYgUNB3j9yZQDU/w==",
                4 => "supplementalCredentials:: " + s_blob[..60],
                5 => " " + s_blob[60..],
                _ => string.Empty,
            };
            if (++_line > 6)
            {
                _line = 0;
                _record++;
            }

            return line;
        }
    }
}
