using PasswordHashSync.Directory;

namespace PasswordHashSync.IntegrationTests;

/// <summary>The LDIF reader on a real Samba <c>ldbsearch</c> export (text SIDs and GUIDs, folded base64, a referral record).</summary>
[Collection(SambaOnPremGroup.Name)]
public sealed class SambaLdifExportTests(SambaOnPremFixture samba)
{
    private DirectoryUser User(string sam) => samba.Users.Single(u => u.SamAccountName == sam);

    [Fact]
    public void Maps_identity_attributes()
    {
        DirectoryUser alice = User("Alice.Smith");
        Assert.Equal("CN=Alice.Smith,OU=Staff,DC=phs,DC=example,DC=test", alice.DistinguishedName);
        Assert.Equal("user", alice.StructuralObjectClass);
        Assert.Equal("Alice.Smith@phs.example.test", alice.UserPrincipalName);
        Assert.NotNull(alice.ObjectGuid);
        Assert.Equal(28, alice.ObjectSid.Length);
        Assert.InRange(alice.Rid!.Value, 1000u, 2000u);
        Assert.Equal(UserAccountControl.NormalAccount, alice.UserAccountControl);
        Assert.NotNull(alice.PasswordLastChanged);
        Assert.InRange(alice.PasswordLastChanged!.Value, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public void Maps_policy_relevant_cases()
    {
        Assert.Null(User("bob").UserPrincipalName);
        Assert.Equal(0, User("frank.temp").PwdLastSet);
        Assert.Null(User("frank.temp").PasswordLastChanged);
        Assert.True(User("grace.disabled").UserAccountControl.HasFlag(UserAccountControl.AccountDisabled));
        Assert.Equal("PHSFiltered", User("heidi.filtered").AdminDescription);
        Assert.True(User("WS01$").HasObjectClass("computer"));
        Assert.True(User("WS01$").UserAccountControl.HasFlag(UserAccountControl.WorkstationTrustAccount));
        DirectoryUser contact = samba.Users.Single(u => u.HasObjectClass("contact"));
        Assert.Null(contact.SamAccountName);
        Assert.True(contact.NtHash.IsEmpty);
        Assert.True(contact.SupplementalCredentials.IsEmpty);
    }

    [Fact]
    public async Task Async_reader_gives_the_same_objects()
    {
        var users = new List<DirectoryUser>();
        await foreach (DirectoryUser user in LdifDirectoryReader.ReadFileAsync(samba.LdifPath))
        {
            users.Add(user);
        }

        Assert.Equal(samba.Users.Select(u => u.DistinguishedName), users.Select(u => u.DistinguishedName));
        Assert.Equal(samba.Users.Select(u => Convert.ToHexString(u.SupplementalCredentials.Span)), users.Select(u => Convert.ToHexString(u.SupplementalCredentials.Span)));
    }
}
