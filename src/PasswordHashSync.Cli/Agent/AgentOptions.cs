using Microsoft.Extensions.Configuration;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Agent;

/// <summary>Where the agent reads users from.</summary>
internal enum AgentSourceKind
{
    /// <summary>An LDIF export re-read every cycle (tests, demos, exports made by another tool).</summary>
    Ldif,

    /// <summary>A domain controller over DRS replication (PasswordHashSync.Replication).</summary>
    DomainController,
}

/// <summary>
/// The agent's configuration: section <c>Agent</c> (paths and source) and section <c>Sync</c>
/// (<see cref="PasswordHashSyncSettings"/>), from the JSON file of <c>--config</c> overridden by environment variables
/// with the prefix <see cref="EnvironmentPrefix"/> (<c>PWSYNC_Agent__StatePath</c>, <c>PWSYNC_Sync__StagingMode</c>).
/// </summary>
internal sealed class AgentOptions
{
    /// <summary>The prefix of environment variables that override the file (':' is written '__').</summary>
    public const string EnvironmentPrefix = "PWSYNC_";

    /// <summary>The sync state file (watermark, retry queue, per-user state); its lock file is this plus <c>.lock</c>.</summary>
    public string StatePath { get; set; } = string.Empty;

    /// <summary>The records outbox directory: JSON-lines segments, one per exported batch.</summary>
    public string OutboxDirectory { get; set; } = string.Empty;

    /// <summary>The source kind (default <see cref="AgentSourceKind.Ldif"/>).</summary>
    public AgentSourceKind SourceKind { get; set; } = AgentSourceKind.Ldif;

    /// <summary>The LDIF export, for <see cref="AgentSourceKind.Ldif"/>.</summary>
    public string? LdifPath { get; set; }

    /// <summary>The LDIF reader limits (<c>Agent:Source:Ldif</c>), for <see cref="AgentSourceKind.Ldif"/>; unset ones keep the defaults.</summary>
    public LdifLimitSettings Ldif { get; set; } = new();

    /// <summary>The domain controller settings, for <see cref="AgentSourceKind.DomainController"/>.</summary>
    public DomainControllerSourceOptions DomainController { get; set; } = new();

    /// <summary>The sync settings (cycle interval 2 minutes unless a test shortens it).</summary>
    public PasswordHashSyncSettings Sync { get; set; } = new();

    /// <summary>Where the state file's full-sync request marker lives (written by <c>--full-sync</c>).</summary>
    public string FullSyncRequestPath => StatePath + ".full-sync-requested";

    /// <summary>Binds the options from a configuration, refusing unknown keys.</summary>
    /// <param name="configuration">The configuration root.</param>
    /// <returns>The options (not yet validated).</returns>
    /// <exception cref="InvalidOperationException">A key is unknown or a value does not convert; the message names it.</exception>
    public static AgentOptions Bind(IConfiguration configuration)
    {
        var options = new AgentOptions();
        IConfigurationSection agent = configuration.GetSection("Agent");
        options.StatePath = agent["StatePath"] ?? string.Empty;
        options.OutboxDirectory = agent["OutboxDirectory"] ?? string.Empty;
        IConfigurationSection source = agent.GetSection("Source");
        string? kind = source["Kind"];
        if (kind is not null)
        {
            options.SourceKind = Enum.TryParse(kind, ignoreCase: true, out AgentSourceKind parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new InvalidOperationException($"Agent:Source:Kind is '{kind}'; it must be Ldif or DomainController.");
        }

        options.LdifPath = source["LdifPath"];
        source.GetSection("Ldif").Bind(options.Ldif, o => o.ErrorOnUnknownConfiguration = true);
        IConfigurationSection domainController = source.GetSection("DomainController");
        domainController.Bind(options.DomainController, o => o.ErrorOnUnknownConfiguration = true);
        if (configuration is IConfigurationRoot root
            && root.Providers.OfType<FileConfigurationProvider>().Any(p => p.TryGet(domainController.Path + ":Password", out _)))
        {
            // The password may come from the environment only: a JSON file is copied, backed up and readable by admins.
            options.DomainController.RefusePasswordFromFile();
        }

        RefuseUnknownKeys(agent, ["StatePath", "OutboxDirectory", "Source"]);
        RefuseUnknownKeys(source, ["Kind", "LdifPath", "Ldif", "DomainController"]);
        configuration.GetSection("Sync").Bind(options.Sync, o => o.ErrorOnUnknownConfiguration = true);
        return options;
    }

    /// <summary>Checks everything the agent needs before it starts; every problem is one clear line.</summary>
    /// <returns>The problems, empty when the options are valid.</returns>
    public List<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(StatePath))
        {
            problems.Add("Agent:StatePath is missing: the sync state file, for example /var/lib/pwsync/state.json.");
        }

        if (string.IsNullOrWhiteSpace(OutboxDirectory))
        {
            problems.Add("Agent:OutboxDirectory is missing: the directory the record segments are written to, for example /var/lib/pwsync/outbox.");
        }

        if (SourceKind == AgentSourceKind.Ldif)
        {
            if (string.IsNullOrWhiteSpace(LdifPath))
            {
                problems.Add("Agent:Source:LdifPath is missing: the LDIF export the Ldif source reads.");
            }

            problems.AddRange(Ldif.Validate("Agent:Source:Ldif:", camelCase: false));
        }
        else
        {
            problems.AddRange(DomainController.Validate());
        }

        try
        {
            Sync.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            problems.Add($"Sync:{e.ParamName}: {e.Message.Split(" (Parameter", 2)[0]}");
        }

        return problems;
    }

    private static void RefuseUnknownKeys(IConfigurationSection section, string[] known)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{child.Path} is not a known setting (known under {section.Path}: {string.Join(", ", known)}).");
            }
        }
    }
}
