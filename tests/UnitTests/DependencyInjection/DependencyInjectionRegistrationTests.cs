using Microsoft.Extensions.DependencyInjection;
using PasswordHashSync.Digest;

namespace PasswordHashSync.UnitTests.DependencyInjection;

/// <summary>What AddPasswordHashSync registers, with which lifetime, and how it treats earlier registrations.</summary>
public sealed class DependencyInjectionRegistrationTests
{
    [Theory]
    [InlineData(typeof(ICredentialDeriver))]
    [InlineData(typeof(ISaltedDigestVerifier))]
    [InlineData(typeof(PasswordHashSyncOptions))]
    public void AddPasswordHashSync_registers_each_service_once_as_a_singleton(Type serviceType)
    {
        var services = new ServiceCollection();

        services.AddPasswordHashSync();

        ServiceDescriptor descriptor = Assert.Single(services, d => d.ServiceType == serviceType);
        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        object first = provider.GetRequiredService(serviceType);
        using IServiceScope scope = provider.CreateScope();
        Assert.Same(first, scope.ServiceProvider.GetRequiredService(serviceType));
    }

    [Fact]
    public void AddPasswordHashSync_resolves_the_library_implementations()
    {
        using ServiceProvider provider = new ServiceCollection().AddPasswordHashSync().BuildServiceProvider();

        Assert.IsType<CredentialDeriver>(provider.GetRequiredService<ICredentialDeriver>());
        SaltedDigestVerifier verifier = Assert.IsType<SaltedDigestVerifier>(provider.GetRequiredService<ISaltedDigestVerifier>());
        Assert.Equal(SaltedDigest.DefaultIterationCount, verifier.CurrentIterationCount);
        Assert.Equal(SaltedDigestVerifier.DefaultMaxIterationCount, verifier.MaxIterationCount);
    }

    [Fact]
    public void AddPasswordHashSync_returns_the_same_collection_for_chaining()
    {
        var services = new ServiceCollection();
        Assert.Same(services, services.AddPasswordHashSync());
    }

    [Fact]
    public void AddPasswordHashSync_null_services_throws_ArgumentNullException_naming_services()
    {
        ArgumentNullException error = Assert.Throws<ArgumentNullException>(() => PasswordHashSyncServiceCollectionExtensions.AddPasswordHashSync(null!));
        Assert.Equal("services", error.ParamName);
    }

    [Fact]
    public void TryAdd_rule_a_verifier_registered_before_is_kept()
    {
        var services = new ServiceCollection();
        var custom = new RecordingVerifier();
        services.AddSingleton<ISaltedDigestVerifier>(custom);

        services.AddPasswordHashSync();

        Assert.Single(services, d => d.ServiceType == typeof(ISaltedDigestVerifier));
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Same(custom, provider.GetRequiredService<ISaltedDigestVerifier>());
        Assert.IsType<CredentialDeriver>(provider.GetRequiredService<ICredentialDeriver>());
    }

    [Fact]
    public void TryAdd_rule_a_deriver_registered_before_is_kept()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ICredentialDeriver, OtherDeriver>();

        services.AddPasswordHashSync();

        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.IsType<OtherDeriver>(provider.GetRequiredService<ICredentialDeriver>());
        Assert.IsType<SaltedDigestVerifier>(provider.GetRequiredService<ISaltedDigestVerifier>());
    }

    [Fact]
    public void Second_call_without_configuration_changes_nothing()
    {
        var services = new ServiceCollection();
        services.AddPasswordHashSync(o => o.DigestIterationCount = 2000);

        services.AddPasswordHashSync();

        Assert.Equal(new ServiceCollection().AddPasswordHashSync().Count, services.Count);
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Equal(2000, provider.GetRequiredService<PasswordHashSyncOptions>().DigestIterationCount);
    }

    [Fact]
    public void Second_call_with_a_configuration_throws_instead_of_ignoring_it()
    {
        var services = new ServiceCollection();
        services.AddPasswordHashSync();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => services.AddPasswordHashSync(o => o.DigestIterationCount = 2000));
        Assert.Contains("already registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_registered_directly_before_are_used_and_validated_when_resolved()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new PasswordHashSyncOptions { DigestIterationCount = 0 });

        services.AddPasswordHashSync();

        using ServiceProvider provider = services.BuildServiceProvider();
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => provider.GetRequiredService<ICredentialDeriver>());
        Assert.Equal(nameof(PasswordHashSyncOptions.DigestIterationCount), error.ParamName);
    }

    private sealed class RecordingVerifier : ISaltedDigestVerifier
    {
        public DigestVerificationResult Verify(ReadOnlySpan<char> password, ReadOnlySpan<char> wireDigest) => default;

        public DigestVerificationResult VerifyNtHash(ReadOnlySpan<byte> ntHash, ReadOnlySpan<char> wireDigest) => default;
    }

    private sealed class OtherDeriver : ICredentialDeriver
    {
        public int ComputeNtHash(ReadOnlySpan<char> password, Span<byte> destination) => throw new NotSupportedException();

        public SaltedDigest ComputeSaltedDigest(ReadOnlySpan<char> password) => throw new NotSupportedException();

        public SaltedDigest ComputeSaltedDigestFromNtHash(ReadOnlySpan<byte> ntHash) => throw new NotSupportedException();

        public IReadOnlyList<Kerberos.KerberosKey> DeriveKerberosKeys(ReadOnlySpan<char> password, ReadOnlySpan<byte> salt) => throw new NotSupportedException();

        public bool TryComputeLmHash(ReadOnlySpan<char> password, Span<byte> destination, out int bytesWritten) => throw new NotSupportedException();
    }
}
