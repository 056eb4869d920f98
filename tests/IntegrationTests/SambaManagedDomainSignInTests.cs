using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests;

/// <summary>
/// Sign-in end to end on a real Samba AD DC whose users' unicodePwd and supplementalCredentials keys were derived
/// by PasswordHashSync (the DC never saw the passwords): Kerberos (kinit with AES256, AES128 or RC4 only) and NTLM
/// (smbclient) accept the right password and refuse a wrong one.
/// </summary>
public sealed class SambaManagedDomainSignInTests : IClassFixture<SambaManagedDomain>
{
    private readonly SambaManagedDomain _dc;

    public SambaManagedDomainSignInTests(SambaManagedDomain dc) => _dc = dc;

    public static TheoryData<string, string> UsersAndEncryptionTypes()
    {
        var data = new TheoryData<string, string>();
        foreach (string user in new[] { "synced.alice", "Synced.Bob" })
        {
            foreach (string etype in new[] { "aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96", "arcfour-hmac" })
            {
                data.Add(user, etype);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(UsersAndEncryptionTypes))]
    public void Kinit_with_the_password_succeeds_with_the_library_derived_keys(string user, string etype)
    {
        ExternalTool.Result kinit = _dc.KinitWithPassword(user, PasswordOf(user), etype);
        Assert.True(kinit.ExitCode == 0, $"kinit {user} ({etype}) failed: {kinit.StandardError}");
    }

    [Theory]
    [InlineData("synced.alice", "aes256-cts-hmac-sha1-96")]
    [InlineData("synced.alice", "arcfour-hmac")]
    [InlineData("Synced.Bob", "aes128-cts-hmac-sha1-96")]
    public void Kinit_with_a_wrong_password_is_refused(string user, string etype)
    {
        ExternalTool.Result kinit = _dc.KinitWithPassword(user, PasswordOf(user) + "x", etype);
        Assert.NotEqual(0, kinit.ExitCode);
        Assert.Contains("Password incorrect", kinit.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_KDC_takes_AES_keys_from_the_written_supplementalCredentials()
    {
        // mismatched.carol: right NT hash, AES keys from another password.
        Assert.Equal(0, _dc.KinitWithPassword("mismatched.carol", PasswordOf("mismatched.carol"), "arcfour-hmac").ExitCode);
        Assert.NotEqual(0, _dc.KinitWithPassword("mismatched.carol", PasswordOf("mismatched.carol"), "aes256-cts-hmac-sha1-96").ExitCode);
        Assert.Equal(0, _dc.KinitWithPassword("mismatched.carol", "Carol-Other-Pa$$w0rd", "aes256-cts-hmac-sha1-96").ExitCode);
    }

    [Theory]
    [InlineData("synced.alice")]
    [InlineData("Synced.Bob")]
    public void Ntlm_authentication_with_the_password_succeeds(string user)
    {
        ExternalTool.Result smb = _dc.SmbclientNtlm(user, PasswordOf(user));
        Assert.True(smb.ExitCode == 0, $"smbclient as {user} failed: {smb.StandardOutput}{smb.StandardError}");
    }

    [Fact]
    public void Ntlm_authentication_with_a_wrong_password_is_refused()
    {
        ExternalTool.Result smb = _dc.SmbclientNtlm("synced.alice", "Synced-Pa$$w0rd-2");
        Assert.NotEqual(0, smb.ExitCode);
        Assert.Contains("NT_STATUS_LOGON_FAILURE", smb.StandardOutput + smb.StandardError, StringComparison.Ordinal);
    }

    private static string PasswordOf(string user) => SambaManagedDomain.Users.Single(u => u.Name == user).Password;
}
