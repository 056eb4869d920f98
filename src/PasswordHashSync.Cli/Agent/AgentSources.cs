using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Replication;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Agent;

/// <summary>Makes the configured <see cref="IDirectoryChangeSource"/>: the pluggable end of the agent.</summary>
internal static class AgentSources
{
    /// <summary>Creates the source the options name, before the host starts (so a bad password file is a configuration error, exit 3).</summary>
    /// <param name="options">The validated options.</param>
    /// <returns>The source; dispose it (when it is disposable) after the host stopped.</returns>
    /// <exception cref="DataException">The domain controller's password or keytab cannot be read, or its file is not the agent user's alone.</exception>
    public static IDirectoryChangeSource Create(AgentOptions options) => options.SourceKind switch
    {
        AgentSourceKind.Ldif => new LdifFileChangeSource(options.LdifPath!, options.Ldif.ToReaderOptions()),
        _ => CreateDomainController(options.DomainController),
    };

    private static DomainControllerChangeSource CreateDomainController(DomainControllerSourceOptions options)
    {
        ReplicationCredential credential = DomainControllerCredentialReader.Create(options);
        try
        {
            return new DomainControllerChangeSource(options.ToReplicationOptions(), credential);
        }
        catch (ArgumentException e)
        {
            credential.Dispose();
            throw new DataException($"Agent:Source:DomainController: {e.Message}");
        }
    }
}
