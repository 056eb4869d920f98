namespace PasswordHashSync.Cli.Agent;

/// <summary>What the command line asked the agent for (parsed by the command, carried out by <see cref="AgentProgram"/>).</summary>
/// <param name="ConfigPath">The JSON configuration file.</param>
/// <param name="Once">Run one cycle and exit.</param>
/// <param name="FullSync">Request the forced full sync (persisted) before running.</param>
internal sealed record AgentInvocation(string ConfigPath, bool Once, bool FullSync);
