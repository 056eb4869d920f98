using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests.Hostile;

/// <summary>
/// Rule: options are validated completely up front (a value every later derivation would refuse is refused by
/// Validate and the CredentialDeriver constructor), and the deriver's entry points name bad parameters.
/// </summary>
public class HostileOptionsAndDeriverTests
{
    [Theory]
    [InlineData(1 << 24)]
    [InlineData(int.MaxValue)]
    [InlineData(0)]
    [InlineData(int.MinValue)]
    public void A_Kerberos_iteration_count_string_to_key_refuses_is_refused_by_Validate(int count)
    {
        // Reference: KerberosKeyDerivation's own limit (MIT krb5's 2^24), checked independently below.
        Assert.Throws<ArgumentOutOfRangeException>(() => KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes128CtsHmacSha196, "p", "s"u8.ToArray(), count));
        var options = new PasswordHashSyncOptions { KerberosIterationCount = count };
        Assert.Throws<ArgumentOutOfRangeException>(nameof(PasswordHashSyncOptions.KerberosIterationCount), options.Validate);
        Assert.Throws<ArgumentOutOfRangeException>(nameof(PasswordHashSyncOptions.KerberosIterationCount), () => new CredentialDeriver(options));
    }

    [Fact]
    public void The_largest_Kerberos_iteration_count_string_to_key_accepts_is_accepted() =>
        new PasswordHashSyncOptions { KerberosIterationCount = KerberosKeyDerivation.MaxIterationCount }.Validate();

    [Fact]
    public void Deriver_refuses_bad_arguments_with_the_parameter_name()
    {
        Assert.Throws<ArgumentNullException>("options", () => new CredentialDeriver(null!));
        var deriver = new CredentialDeriver(new PasswordHashSyncOptions());
        Assert.Throws<ArgumentException>("destination", () => deriver.ComputeNtHash("p", new byte[15]));
        Assert.Throws<ArgumentException>("ntHash", () => deriver.ComputeSaltedDigestFromNtHash(new byte[15]));
        Assert.Throws<InvalidOperationException>(() => deriver.TryComputeLmHash("p", new byte[16], out _));
    }

    [Fact]
    public void LM_hash_of_lone_surrogates_and_over_long_passwords_is_a_Try_false()
    {
        // Documented: characters the OEM code page cannot represent, and more than 14 bytes, have no LM hash.
        Assert.False(LmHash.TryCompute("a\uD800", LmHash.DefaultOemCodePage, new byte[16], out int written));
        Assert.Equal(0, written);
        Assert.False(LmHash.TryCompute(new string('a', 1 << 20), LmHash.DefaultOemCodePage, new byte[16], out _));
        Assert.Throws<ArgumentOutOfRangeException>("oemCodePage", () => LmHash.TryCompute("a", int.MaxValue, new byte[16], out _));
    }
}
