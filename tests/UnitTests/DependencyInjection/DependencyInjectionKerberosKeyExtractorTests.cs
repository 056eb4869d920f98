using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;
using PasswordHashSync.UnitTests.SupplementalCredentials;

namespace PasswordHashSync.UnitTests.DependencyInjection;

/// <summary>The default <see cref="IKerberosKeyExtractor"/> that <c>AddPasswordHashSync()</c> wires, on a published DSInternals blob.</summary>
public sealed class DependencyInjectionKerberosKeyExtractorTests
{
    [Fact]
    public void AddPasswordHashSync_resolves_the_supplementalCredentials_extractor_which_gives_the_published_W2k16_Vector2_keys()
    {
        using ServiceProvider provider = new ServiceCollection().AddPasswordHashSync().BuildServiceProvider();
        IKerberosKeyExtractor extractor = provider.GetRequiredService<IKerberosKeyExtractor>();
        Assert.Same(SupplementalCredentialsKerberosKeyExtractor.Instance, extractor);

        // Published (DSInternals @894f5ed KerberosCredentialNew_Vector2 / W2k16_Vector2): Pa$$w0rd, salt ADATUM.COMuser02.
        IReadOnlyList<KerberosKey> keys = extractor.ExtractCurrentKeys(Convert.FromHexString(DsInternalsVectors.W2k16_Vector2));
        Assert.Equal(
            [
                (KerberosEncryptionType.Aes256CtsHmacSha196, "622fca1d12de1df65e840afd5f3b9844b18a72a82aed6e3e58c39257753fdfa8"),
                (KerberosEncryptionType.Aes128CtsHmacSha196, "30666974cb729ef6bd44f8eab3296e5c"),
                (KerberosEncryptionType.DesCbcMd5, "13f8fd37d557a401"),
            ],
            keys.Select(k => (k.EncryptionType, Convert.ToHexStringLower(k.Key.Span))));
        Assert.All(keys, k => Assert.Equal("ADATUM.COMuser02", Encoding.UTF8.GetString(k.Salt.Span)));
        Assert.Equal(4096, keys[0].IterationCount);
        Assert.Equal(4096, keys[1].IterationCount);
    }
}
