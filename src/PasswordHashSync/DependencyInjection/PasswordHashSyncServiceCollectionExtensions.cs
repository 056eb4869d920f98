using Microsoft.Extensions.DependencyInjection.Extensions;
using PasswordHashSync;
using PasswordHashSync.Digest;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PasswordHashSync services.</summary>
public static class PasswordHashSyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ICredentialDeriver"/>, <see cref="ISaltedDigestVerifier"/> and the validated
    /// <see cref="PasswordHashSyncOptions"/> as singletons. Existing registrations of the two services are kept
    /// (TryAdd), so an application can replace either one by registering it first.
    /// </summary>
    /// <remarks>
    /// The options are validated here, once, and a frozen copy is registered: changing the object passed to
    /// <paramref name="configure"/> afterwards has no effect, and the registered instance refuses changes.
    /// Calling this method again without <paramref name="configure"/> is a no-op; calling it with a
    /// <paramref name="configure"/> callback when options are already registered throws rather than silently
    /// ignoring the second configuration.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes to the default options, or <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are invalid; the parameter name is the option's name.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="configure"/> is given but options are already registered.</exception>
    public static IServiceCollection AddPasswordHashSync(this IServiceCollection services, Action<PasswordHashSyncOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        bool optionsRegistered = services.Any(static d => d.ServiceType == typeof(PasswordHashSyncOptions));
        if (optionsRegistered && configure is not null)
        {
            throw new InvalidOperationException(
                "PasswordHashSyncOptions are already registered (by an earlier AddPasswordHashSync call or directly); " +
                "this configuration would be ignored. Configure the options in a single AddPasswordHashSync call.");
        }

        if (!optionsRegistered)
        {
            var options = new PasswordHashSyncOptions();
            configure?.Invoke(options);
            services.AddSingleton(options.ToValidatedFrozenCopy());
        }

        services.TryAddSingleton<ICredentialDeriver>(static sp => new CredentialDeriver(sp.GetRequiredService<PasswordHashSyncOptions>()));
        services.TryAddSingleton<ISaltedDigestVerifier>(static sp =>
        {
            PasswordHashSyncOptions o = sp.GetRequiredService<PasswordHashSyncOptions>();
            return new SaltedDigestVerifier(o.DigestIterationCount, o.MaxDigestIterationCount);
        });
        return services;
    }
}
