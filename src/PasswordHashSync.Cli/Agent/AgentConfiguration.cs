using Microsoft.Extensions.Configuration;
using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Agent;

/// <summary>Loads and validates the agent's configuration: the JSON file, then <c>PWSYNC_</c> environment variables.</summary>
internal static class AgentConfiguration
{
    /// <summary>Builds the configuration and the validated options.</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The configuration root (the host's logging reads its <c>Logging</c> section) and the options.</returns>
    /// <exception cref="DataException">The file is missing or not JSON, a key is unknown, or a value is invalid; the message lists every problem.</exception>
    public static (IConfigurationRoot Configuration, AgentOptions Options) Load(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new DataException($"configuration file {full} does not exist");
        }

        IConfigurationRoot configuration;
        AgentOptions options;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddJsonFile(full, optional: false, reloadOnChange: false)
                .AddEnvironmentVariables(AgentOptions.EnvironmentPrefix)
                .Build();
            options = AgentOptions.Bind(configuration);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new DataException($"configuration {full}: {e.Message}{(e.InnerException is { } inner ? " " + inner.Message : string.Empty)}");
        }

        List<string> problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new DataException($"configuration {full} is invalid:\n  " + string.Join("\n  ", problems));
        }

        // Relative paths are relative to the configuration file, not to wherever the service manager started us.
        string baseDirectory = Path.GetDirectoryName(full)!;
        options.StatePath = Path.GetFullPath(options.StatePath, baseDirectory);
        options.OutboxDirectory = Path.GetFullPath(options.OutboxDirectory, baseDirectory);
        if (options.LdifPath is not null)
        {
            options.LdifPath = Path.GetFullPath(options.LdifPath, baseDirectory);
        }

        if (options.DomainController.PasswordFile is { Length: > 0 } passwordFile)
        {
            options.DomainController.PasswordFile = Path.GetFullPath(passwordFile, baseDirectory);
        }

        if (options.DomainController.KeytabFile is { } keytabFile && !string.IsNullOrWhiteSpace(keytabFile))
        {
            options.DomainController.KeytabFile = Path.GetFullPath(keytabFile, baseDirectory);
        }

        return (configuration, options);
    }
}
