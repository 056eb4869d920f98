using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Agent;

/// <summary>Makes the configured <see cref="IDirectoryChangeSource"/>: the pluggable end of the agent.</summary>
internal static class AgentSources
{
    /// <summary>Creates the source the options name.</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="services">The host's services (logging).</param>
    /// <returns>The source.</returns>
    /// <exception cref="NotSupportedException">The source kind is not available in this build.</exception>
    public static IDirectoryChangeSource Create(AgentOptions options, IServiceProvider services)
    {
        _ = services;
        return options.SourceKind switch
        {
            AgentSourceKind.Ldif => new LdifFileChangeSource(options.LdifPath!),
            _ => throw new NotSupportedException(
                "Agent:Source:Kind DomainController needs the DRS replication source (PasswordHashSync.Replication), which this build does not have yet; use Ldif."),
        };
    }
}
