using PasswordHashSync.Directory;

namespace PasswordHashSync.UnitTests.Directory;

public class DirectoryUserTests
{
    [Fact]
    public void Null_object_classes_are_refused_at_construction_not_later_in_HasObjectClass()
    {
        Assert.Throws<ArgumentNullException>(() => new DirectoryUser { DistinguishedName = "CN=a,DC=x", ObjectClasses = null! });
    }

    [Fact]
    public void ToString_never_shows_secrets()
    {
        byte[] ntHash = NtHash.Compute("Secret-Pa$$w0rd");
        var user = new DirectoryUser { DistinguishedName = "CN=a,DC=x", SamAccountName = "a", ObjectClasses = ["top", "user"], NtHash = ntHash };
        string text = user.ToString();
        Assert.DoesNotContain(Convert.ToHexStringLower(ntHash), text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("NT hash present", text, StringComparison.Ordinal);
    }
}
