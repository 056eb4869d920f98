namespace PasswordHashSync.UnitTests;

public class Sanity
{
    [Fact]
    public void Empty_password_nt_hash() =>
        Assert.Equal("31d6cfe0d16ae931b73c59d7e0c089c0", Convert.ToHexStringLower(NtHash.Compute("")));
}
