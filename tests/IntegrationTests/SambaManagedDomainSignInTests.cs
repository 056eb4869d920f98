using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests;

/// <summary>
/// Sign-in end to end on a real Samba AD DC playing the managed domain, whose users' unicodePwd and
/// supplementalCredentials were produced by PasswordHashSync from the on-prem side (the bundled Samba export and a
/// generated one, through pwsync sync); the DC never saw the passwords. Kerberos (kinit with AES256, AES128 or RC4
/// only) and NTLM (smbclient) accept the right password and refuse a wrong one.
/// </summary>
[Collection(LoopbackSambaDc.Name)]
public sealed class SambaManagedDomainSignInTests : IClassFixture<SambaManagedDomain>
{
    private readonly SambaManagedDomain _dc;

    public SambaManagedDomainSignInTests(SambaManagedDomain dc) => _dc = dc;

    public static TheoryData<string, string> UsersAndEncryptionTypes()
    {
        var data = new TheoryData<string, string>();
        foreach (ManagedUser user in SambaManagedDomain.Users.Where(u => u.Source != ManagedUserSource.Control))
        {
            foreach (string etype in new[] { "aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96", "arcfour-hmac" })
            {
                data.Add(user.Name, etype);
            }
        }
        return data;
    }

    public static TheoryData<string> SyncedUsers() => [.. SambaManagedDomain.Users.Where(u => u.Source != ManagedUserSource.Control).Select(u => u.Name)];

    [Theory]
    [MemberData(nameof(UsersAndEncryptionTypes))]
    public void Kinit_with_the_password_succeeds_with_the_synced_keys(string user, string etype)
    {
        ExternalTool.Result kinit = _dc.KinitWithPassword(user, PasswordOf(user), etype);
        Assert.True(kinit.ExitCode == 0, $"kinit {user} ({etype}) failed: {kinit.StandardError}");
    }

    [Theory]
    [InlineData("Alice.Smith", "aes256-cts-hmac-sha1-96")]
    [InlineData("CarolW", "arcfour-hmac")]
    [InlineData("synced.gen", "aes128-cts-hmac-sha1-96")]
    public void Kinit_with_a_wrong_password_is_refused(string user, string etype)
    {
        ExternalTool.Result kinit = _dc.KinitWithPassword(user, PasswordOf(user) + "x", etype);
        Assert.NotEqual(0, kinit.ExitCode);
        Assert.Contains("Password incorrect", kinit.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Kinit_with_the_previous_on_prem_password_is_refused()
    {
        // Alice.Smith's on-prem blob still holds the keys of her first password as old keys; only the current ones sync.
        ExternalTool.Result kinit = _dc.KinitWithPassword("Alice.Smith", "First-Passw0rd!", "aes256-cts-hmac-sha1-96");
        Assert.NotEqual(0, kinit.ExitCode);
    }

    [Fact]
    public void The_KDC_takes_AES_keys_from_the_written_supplementalCredentials()
    {
        ManagedUser control = SambaManagedDomain.Users.Single(u => u.Source == ManagedUserSource.Control);
        Assert.Equal(0, _dc.KinitWithPassword(control.Name, control.Password, "arcfour-hmac").ExitCode);
        Assert.NotEqual(0, _dc.KinitWithPassword(control.Name, control.Password, "aes256-cts-hmac-sha1-96").ExitCode);
        Assert.Equal(0, _dc.KinitWithPassword(control.Name, control.KerberosKeysFrom!, "aes256-cts-hmac-sha1-96").ExitCode);
    }

    [Theory]
    [MemberData(nameof(SyncedUsers))]
    public void Ntlm_authentication_with_the_password_succeeds(string user)
    {
        ExternalTool.Result smb = _dc.SmbclientNtlm(user, PasswordOf(user));
        Assert.True(smb.ExitCode == 0, $"smbclient as {user} failed: {smb.StandardOutput}{smb.StandardError}");
    }

    [Fact]
    public void Ntlm_authentication_with_a_wrong_password_is_refused()
    {
        ExternalTool.Result smb = _dc.SmbclientNtlm("Alice.Smith", "First-Passw0rd!");
        Assert.NotEqual(0, smb.ExitCode);
        Assert.Contains("NT_STATUS_LOGON_FAILURE", smb.StandardOutput + smb.StandardError, StringComparison.Ordinal);
    }

    private static string PasswordOf(string user) => SambaManagedDomain.Users.Single(u => u.Name == user).Password;
}
