using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// Carries out <c>pwsync agent</c>: loads the configuration, takes the state lock, builds the generic host (systemd
/// notify and SIGTERM handling through <c>UseSystemd</c>), runs <see cref="AgentWorker"/> and returns the exit code.
/// </summary>
internal static class AgentProgram
{
    /// <summary>Runs the agent.</summary>
    /// <param name="invocation">What the command line asked for.</param>
    /// <param name="context">The streams (standard error gets the refusals).</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="Arguments.DataException">The configuration is invalid, or the DC password file unreadable or readable by others.</exception>
    public static int Run(AgentInvocation invocation, CliContext context)
    {
        (IConfigurationRoot configuration, AgentOptions options) = AgentConfiguration.Load(invocation.ConfigPath);
        IDirectoryChangeSource source = AgentSources.Create(options);
        try
        {
            if (invocation.FullSync)
            {
                WriteFullSyncRequest(options.FullSyncRequestPath);
            }

            return Run(invocation, context, configuration, options, source);
        }
        finally
        {
            (source as IDisposable)?.Dispose(); // zeroes the DC credential
        }
    }

    private static int Run(AgentInvocation invocation, CliContext context, IConfigurationRoot configuration, AgentOptions options, IDirectoryChangeSource source)
    {
        FileSyncStateStore store;
        try
        {
            store = new FileSyncStateStore(options.StatePath);
        }
        catch (SyncStateLockedException e)
        {
            context.Error.WriteLine($"pwsync agent: {e.Message}");
            if (invocation.FullSync)
            {
                context.Error.WriteLine($"pwsync agent: the full sync request is saved in {options.FullSyncRequestPath}; the running agent takes it at its next cycle.");
            }

            return ExitCodes.StateLocked;
        }

        using (store)
        {
            using IHost host = BuildHost(configuration, options, invocation, store, source);
            if (source is DomainControllerChangeSource domainController)
            {
                domainController.Logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger<DomainControllerChangeSource>();
            }

            AgentExitState exit = host.Services.GetRequiredService<AgentExitState>();
            host.Run(); // Returns after SIGTERM / StopApplication, with the host disposed.
            return exit.ExitCode;
        }
    }

    internal static IHost BuildHost(IConfiguration configuration, AgentOptions options, AgentInvocation invocation, FileSyncStateStore store, IDirectoryChangeSource source)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "pwsync",
            ContentRootPath = Path.GetDirectoryName(Path.GetFullPath(invocation.ConfigPath)),
        });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddMetrics();
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(invocation);
        builder.Services.AddSingleton<AgentExitState>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(sp => new PasswordHashSyncMetrics(sp.GetService<IMeterFactory>()));
        builder.Services.AddSingleton(sp => new RecordOutbox(options.OutboxDirectory, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new OutboxExporter(sp.GetRequiredService<RecordOutbox>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("PasswordHashSync.Agent")));
        builder.Services.AddSingleton(source); // an instance: the container does not dispose it, Run does
        builder.Services.AddSingleton(sp => new PasswordSyncRunner(
            sp.GetRequiredService<IDirectoryChangeSource>(),
            sp.GetRequiredService<OutboxExporter>(),
            store,
            new SyncPlanner(SupplementalCredentialsKerberosKeyExtractor.Instance, SystemSyncRandomSource.Instance),
            options.Sync,
            sp.GetRequiredService<TimeProvider>(),
            contextProvider: null,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<PasswordSyncRunner>(),
            sp.GetRequiredService<PasswordHashSyncMetrics>()));
        builder.Services.AddHostedService<AgentWorker>();
        return builder.Build();
    }

    // The marker is made durable before the command says it was requested.
    private static void WriteFullSyncRequest(string path)
    {
        string? directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            System.IO.Directory.CreateDirectory(directory);
        }

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write("full sync requested by pwsync agent --full-sync\n"u8);
        stream.Flush(flushToDisk: true);
    }
}
