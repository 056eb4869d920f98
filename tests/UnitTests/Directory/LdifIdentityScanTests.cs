using System.Text;
using PasswordHashSync.Directory;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Directory;

/// <summary>LdifDirectoryReader.ReadIdentities: the DN and objectGUID the full reader maps, without decoding the rest.</summary>
public class LdifIdentityScanTests
{
    private static List<LdifObjectIdentity> Scan(string ldif, LdifReaderOptions? options = null) =>
        LdifDirectoryReader.ReadIdentities(new MemoryStream(Encoding.UTF8.GetBytes(ldif)), options).ToList();

    [Fact]
    public void The_sample_scans_to_the_full_readers_DN_and_objectGUID()
    {
        string path = Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif");
        List<DirectoryUser> users = LdifDirectoryReader.ReadFile(path).ToList();
        List<LdifObjectIdentity> identities = LdifDirectoryReader.ReadIdentitiesFromFile(path).ToList();
        Assert.Equal(12, identities.Count);
        Assert.Equal(users.Select(u => (u.DistinguishedName, u.ObjectGuid)), identities.Select(i => (i.DistinguishedName, i.ObjectGuid)));
        Assert.All(identities, i => Assert.NotNull(i.ObjectGuid));
    }

    [Fact]
    public void Folded_base64_DN_folded_name_binary_option_version_comment_and_referral()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        string b64 = Convert.ToBase64String(guid.ToByteArray());
        string ldif =
            "version: 1\n" +
            "# comment\n" +
            " dn: CN=in a comment,DC=x\n" +
            "\n" +
            "ref: ldap://other/DC=y\n" +
            "\n" +
            "dn:: " + Convert.ToBase64String(Encoding.UTF8.GetBytes("CN=Jörg,DC=contoso,DC=com"))[..10] + "\n " +
            Convert.ToBase64String(Encoding.UTF8.GetBytes("CN=Jörg,DC=contoso,DC=com"))[10..] + "\n" +
            "objec\n tGUID;binary:: " + b64[..5] + "\n " + b64[5..] + "\n" +
            "objectGUID: 99999999-4455-6677-8899-aabbccddeeff\n" +
            "\n\n" +
            "dn: CN=NoGuid,DC=contoso,DC=com\n" +
            "dn: CN=second dn is an attribute\n" +
            "cn: NoGuid\n";
        List<LdifObjectIdentity> identities = Scan(ldif);
        Assert.Equal(2, identities.Count);
        Assert.Equal("CN=Jörg,DC=contoso,DC=com", identities[0].DistinguishedName);
        Assert.Equal(guid, identities[0].ObjectGuid);
        Assert.Equal("CN=NoGuid,DC=contoso,DC=com", identities[1].DistinguishedName);
        Assert.Null(identities[1].ObjectGuid);
        Assert.Equal(LdifDirectoryReader.Read(new StringReader(ldif)).Select(u => (u.DistinguishedName, u.ObjectGuid)), identities.Select(i => (i.DistinguishedName, i.ObjectGuid)));
    }

    [Fact]
    public void A_DN_over_the_value_limit_and_an_unfolded_line_over_the_line_limit_are_refused_with_the_readers_exception()
    {
        var options = new LdifReaderOptions { MaxValueSize = 10, MaxLineLength = 40 };
        LdifFormatException tooLarge = Assert.Throws<LdifFormatException>(() => Scan("dn: CN=longer than ten bytes\n", options));
        Assert.Contains("MaxValueSize", tooLarge.Message, StringComparison.Ordinal);
        LdifFormatException tooLong = Assert.Throws<LdifFormatException>(() => Scan("dn: CN=a\n" + "objectGUID: 00112233-4455-6677-\n 8899-aabbccddeeff\n", options));
        Assert.Contains("unfolded", tooLong.Message, StringComparison.Ordinal);

        // A long value the scan does not read costs nothing and is not refused (the full reader checks it).
        Assert.Single(Scan("dn: CN=a\ndescription: " + new string('x', 20) + "\n " + new string('y', 30) + "\n", options));
    }
}
