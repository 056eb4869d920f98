using Microsoft.Extensions.DependencyInjection.Extensions;
using PasswordHashSync;
using PasswordHashSync.Digest;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PasswordHashSync services.</summary>
public static class PasswordHashSyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ICredentialDeriver"/>, <see cref="ISaltedDigestVerifier"/> and the validated
    /// <see cref="PasswordHashSyncOptions"/> as singletons. Existing registrations are kept (TryAdd).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes to the default options, or <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are invalid (validated here, once).</exception>
    public static IServiceCollection AddPasswordHashSync(this IServiceCollection services, Action<PasswordHashSyncOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new PasswordHashSyncOptions();
        configure?.Invoke(options);
        options.Validate();

        services.TryAddSingleton(options);
        services.TryAddSingleton<ICredentialDeriver>(sp => new CredentialDeriver(sp.GetRequiredService<PasswordHashSyncOptions>()));
        services.TryAddSingleton<ISaltedDigestVerifier>(sp =>
        {
            PasswordHashSyncOptions o = sp.GetRequiredService<PasswordHashSyncOptions>();
            return new SaltedDigestVerifier(o.DigestIterationCount, o.MaxDigestIterationCount);
        });
        return services;
    }
}
