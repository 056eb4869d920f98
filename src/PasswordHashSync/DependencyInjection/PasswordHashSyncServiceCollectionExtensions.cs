using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PasswordHashSync;
using PasswordHashSync.Digest;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PasswordHashSync services.</summary>
public static class PasswordHashSyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ICredentialDeriver"/>, <see cref="ISaltedDigestVerifier"/>, the validated
    /// <see cref="PasswordHashSyncOptions"/> and the sync engine (<see cref="PasswordHashSyncSettings"/>,
    /// <see cref="SyncPlanner"/>, <see cref="SyncDiagnostics"/>, <see cref="ISyncStateStore"/> (in memory, or a file
    /// when <see cref="PasswordHashSyncOptions.SyncStateFilePath"/> is set), <see cref="ISyncRandomSource"/>,
    /// <see cref="TimeProvider"/>, <see cref="PasswordHashSyncMetrics"/> and <see cref="PasswordSyncRunner"/>, which logs
    /// through the registered <see cref="ILoggerFactory"/> when there is one and hands every user's outcome to the registered
    /// <see cref="ISyncOutcomeObserver"/> when there is one) as singletons. Existing registrations are kept
    /// (TryAdd). The runner needs an <see cref="IDirectoryChangeSource"/> and an <see cref="IPasswordHashExporter"/>
    /// from the integrator; the managed domain reads Kerberos keys through <see cref="IKerberosKeyExtractor"/>
    /// (by default <see cref="SupplementalCredentialsKerberosKeyExtractor"/>).
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

        services.TryAddSingleton(static sp => sp.GetRequiredService<PasswordHashSyncOptions>().Sync);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISyncRandomSource>(SystemSyncRandomSource.Instance);
        services.TryAddSingleton<ISyncStateStore>(static sp => sp.GetRequiredService<PasswordHashSyncOptions>().SyncStateFilePath is { } path
            ? new FileSyncStateStore(path)
            : new InMemorySyncStateStore());
        services.TryAddSingleton<IKerberosKeyExtractor>(SupplementalCredentialsKerberosKeyExtractor.Instance);
        services.TryAddSingleton(sp => new SyncPlanner(sp.GetService<IKerberosKeyExtractor>(), sp.GetRequiredService<ISyncRandomSource>()));
        services.TryAddSingleton(sp => new SyncDiagnostics(sp.GetService<IKerberosKeyExtractor>()));
        services.TryAddSingleton(sp => new PasswordHashSyncMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new PasswordSyncRunner(
            sp.GetService<IDirectoryChangeSource>() ?? throw new InvalidOperationException("PasswordSyncRunner needs an IDirectoryChangeSource registration (the directory the users come from)."),
            sp.GetService<IPasswordHashExporter>() ?? throw new InvalidOperationException("PasswordSyncRunner needs an IPasswordHashExporter registration (the cloud the records go to)."),
            sp.GetRequiredService<ISyncStateStore>(),
            sp.GetRequiredService<SyncPlanner>(),
            sp.GetRequiredService<PasswordHashSyncSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ISyncUserContextProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<PasswordSyncRunner>(),
            sp.GetRequiredService<PasswordHashSyncMetrics>())
        {
            OutcomeObserver = sp.GetService<ISyncOutcomeObserver>(),
        });
        return services;
    }
}
