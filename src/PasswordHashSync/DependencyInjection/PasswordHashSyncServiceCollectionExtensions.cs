using Microsoft.Extensions.DependencyInjection.Extensions;
using PasswordHashSync;
using PasswordHashSync.Digest;
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
    /// <see cref="TimeProvider"/> and <see cref="PasswordSyncRunner"/>) as singletons. Existing registrations are kept
    /// (TryAdd). The runner needs an <see cref="IDirectoryChangeSource"/> and an <see cref="IPasswordHashExporter"/>
    /// from the integrator; the managed domain needs an <see cref="IKerberosKeyExtractor"/>.
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

        services.TryAddSingleton(options.Sync);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISyncRandomSource>(SystemSyncRandomSource.Instance);
        services.TryAddSingleton<ISyncStateStore>(_ => options.SyncStateFilePath is null
            ? new InMemorySyncStateStore()
            : new FileSyncStateStore(options.SyncStateFilePath));
        services.TryAddSingleton(sp => new SyncPlanner(sp.GetService<IKerberosKeyExtractor>(), sp.GetRequiredService<ISyncRandomSource>()));
        services.TryAddSingleton(sp => new SyncDiagnostics(sp.GetService<IKerberosKeyExtractor>()));
        services.TryAddSingleton(sp => new PasswordSyncRunner(
            sp.GetService<IDirectoryChangeSource>() ?? throw new InvalidOperationException("PasswordSyncRunner needs an IDirectoryChangeSource registration (the directory the users come from)."),
            sp.GetService<IPasswordHashExporter>() ?? throw new InvalidOperationException("PasswordSyncRunner needs an IPasswordHashExporter registration (the cloud the records go to)."),
            sp.GetRequiredService<ISyncStateStore>(),
            sp.GetRequiredService<SyncPlanner>(),
            sp.GetRequiredService<PasswordHashSyncSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ISyncUserContextProvider>()));
        return services;
    }
}
