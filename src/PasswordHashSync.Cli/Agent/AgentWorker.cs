using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Agent;

/// <summary>What the agent's run ended with, read by <see cref="AgentProgram"/> after the host stops.</summary>
internal sealed class AgentExitState
{
    /// <summary>The process exit code (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; set; } = ExitCodes.Ok;
}

/// <summary>
/// The agent's loop: a cycle every <see cref="PasswordHashSyncSettings.CycleInterval"/> (2 minutes) until the host
/// stops (SIGTERM, systemd stop, Ctrl+C), or a single cycle with <c>--once</c>. A failed cycle is logged by the runner
/// and the next one tries again; a corrupted state stops the agent.
/// </summary>
internal sealed class AgentWorker : BackgroundService
{
    private readonly PasswordSyncRunner _runner;
    private readonly AgentOptions _options;
    private readonly AgentInvocation _invocation;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly AgentExitState _exit;
    private readonly ILogger _logger;

    public AgentWorker(PasswordSyncRunner runner, AgentOptions options, AgentInvocation invocation, TimeProvider time, IHostApplicationLifetime lifetime, AgentExitState exit, ILogger<AgentWorker> logger)
    {
        _runner = runner;
        _options = options;
        _invocation = invocation;
        _time = time;
        _lifetime = lifetime;
        _exit = exit;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string source = _options.SourceKind == AgentSourceKind.Ldif ? $"LDIF file {_options.LdifPath}" : $"domain controller {_options.DomainController.Host} (domain {_options.DomainController.Domain}, account {_options.DomainController.User})";
        AgentLog.Started(_logger, _options.StatePath, _options.OutboxDirectory, source, _options.Sync.CycleInterval);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                bool failed = false;
                string kind = "cancelled";
                try
                {
                    await PickUpFullSyncRequestAsync(stoppingToken).ConfigureAwait(false);
                    SyncCycleReport report = await _runner.RunCycleAsync(stoppingToken).ConfigureAwait(false);
                    kind = report.Kind.ToString();
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (SyncStateCorruptedException e)
                {
                    // Logged by the runner (event 1014); nothing more can be done without an administrator.
                    Stop(ExitCodes.AgentFailed, e);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException and not ArgumentException)
                {
                    // Logged by the runner with its event ID; the next cycle tries again.
                    failed = true;
                    kind = "failed";
                }

                if (_invocation.Once)
                {
                    _exit.ExitCode = failed ? ExitCodes.AgentFailed : ExitCodes.Ok;
                    AgentLog.OnceCompleted(_logger, kind, _exit.ExitCode);
                    _lifetime.StopApplication();
                    return;
                }

                try
                {
                    await Task.Delay(_options.Sync.CycleInterval, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Stop(ExitCodes.AgentFailed, e);
        }
        finally
        {
            AgentLog.Stopping(_logger);
        }
    }

    // --full-sync leaves a marker file (so it also reaches an agent that is already running); the request moves into
    // the state first and the marker goes second, so a crash in between only repeats the request.
    private async Task PickUpFullSyncRequestAsync(CancellationToken cancellationToken)
    {
        string marker = _options.FullSyncRequestPath;
        if (File.Exists(marker))
        {
            await _runner.RequestFullSyncAsync(cancellationToken).ConfigureAwait(false);
            File.Delete(marker);
            AgentLog.FullSyncRequestPickedUp(_logger, marker);
        }
    }

    private void Stop(int exitCode, Exception e)
    {
        string type = e.GetType().Name;
        AgentLog.Fatal(_logger, type, e.Message);
        _exit.ExitCode = exitCode;
        _lifetime.StopApplication();
    }
}
