namespace PasswordHashSync.IntegrationTests.Agent;

/// <summary>
/// The real <c>pwsync agent</c> process: two agents on one state (the second refuses with exit code 5 naming the lock
/// file, the first carries on), a clean stop on SIGTERM, <c>--once</c>, <c>--full-sync</c> persisted across a running
/// agent and a restart, <c>agent status</c>, and configuration errors reported before anything starts.
/// </summary>
public sealed class AgentLifecycleTests
{
    [Fact]
    public async Task SecondAgentOnTheSameState_ExitsWithCode5NamingTheLock_AndTheFirstIsUnharmed()
    {
        using var workspace = new AgentWorkspace(users: 3);
        using AgentProcess first = AgentProcess.Start("agent", "--config", workspace.ConfigPath);
        await first.WaitForLineAsync("[1051]", TimeSpan.FromSeconds(60)); // the initial full sync finished
        Assert.Equal([[1], [1], [1]], workspace.DeliveredVersions().Select(v => v.Distinct().ToArray()));

        (int code, string output) = await AgentProcess.RunAsync("agent", "--config", workspace.ConfigPath);

        Assert.Equal(5, code);
        Assert.Contains(workspace.StatePath + ".lock", output, StringComparison.Ordinal);
        Assert.Contains("is in use by another process", output, StringComparison.Ordinal);
        Assert.False(first.HasExited);

        // The first agent still works: a change made now reaches the outbox.
        workspace.Versions[1] = 2;
        workspace.WriteLdif();
        for (int i = 0; i < 600 && !workspace.DeliveredVersions()[1].Contains(2); i++)
        {
            await Task.Delay(50);
        }

        Assert.Contains(2, workspace.DeliveredVersions()[1]);
        Assert.Equal([1], workspace.DeliveredVersions()[0].Distinct());

        // SIGTERM (systemd stop): a clean stop with exit code 0 and the stopping event.
        first.Terminate();
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("[2001]", first.Output, StringComparison.Ordinal);

        // The lock went with the process: the next start takes it.
        (int again, string log) = await AgentProcess.RunAsync("agent", "--config", workspace.ConfigPath, "--once");
        Assert.True(again == 0, log);
    }

    [Fact]
    public async Task Once_SyncsOnlyTheChangedUser_AndFullSync_SendsEveryUserAgain_EvenWhenRequestedOfARunningAgent()
    {
        using var workspace = new AgentWorkspace(users: 4);
        Assert.Equal(0, (await AgentProcess.RunAsync("agent", "--config", workspace.ConfigPath, "--once")).ExitCode);
        Assert.Single(workspace.Segments());

        workspace.Versions[2] = 2;
        workspace.WriteLdif();
        (int code, string log) = await AgentProcess.RunAsync("agent", "--config", workspace.ConfigPath, "--once");
        Assert.True(code == 0, log);
        string[] segments = workspace.Segments();
        Assert.Equal(2, segments.Length);
        Assert.Single(File.ReadAllLines(segments[1])); // user2 only, no other
        Assert.Contains("\"samAccountName\":\"user2\"", File.ReadAllText(segments[1]), StringComparison.Ordinal);

        // --full-sync while another agent holds the state: refused (5), but the request is saved and survives the
        // holder being killed.
        using (AgentProcess holder = AgentProcess.Start("agent", "--config", workspace.ConfigPath))
        {
            await holder.WaitForLineAsync("[2000]", TimeSpan.FromSeconds(60));
            (int refused, string message) = await AgentProcess.RunAsync("agent", "--config", workspace.ConfigPath, "--full-sync");
            Assert.Equal(5, refused);
            Assert.Contains("full sync request is saved", message, StringComparison.Ordinal);
            // Killed at once: whether or not it took the request into the state (event 2007) first, the request is
            // durable (the marker, or the state's flag) and the next start runs the full sync.
            holder.Kill();
        }

        (code, log) = await AgentProcess.RunAsync("agent", "--config", workspace.ConfigPath, "--once");
        Assert.True(code == 0, log);
        List<string> all = [.. workspace.Segments().SelectMany(File.ReadAllLines)];
        for (int u = 0; u < 4; u++)
        {
            // Every user appears again after the initial sync: the full sync re-sent them all.
            Assert.True(all.Count(r => r.Contains($"\"samAccountName\":\"{AgentWorkspace.UserName(u)}\"", StringComparison.Ordinal)) >= 2, string.Join('\n', all));
        }

        (int statusCode, string status) = await AgentProcess.RunAsync("agent", "status", "--config", workspace.ConfigPath);
        Assert.Equal(0, statusCode);
        Assert.Contains("Last cycle:", status, StringComparison.Ordinal);
        Assert.Contains("Watermark age:", status, StringComparison.Ordinal);
        Assert.Contains("Retry queue:      0 user(s)", status, StringComparison.Ordinal);
        Assert.Contains("Full sync:        not requested", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidConfiguration_IsRefusedAtStart_WithEveryProblemNamed()
    {
        using var workspace = new AgentWorkspace(users: 1);
        File.WriteAllText(workspace.ConfigPath, """{ "Agent": { "Source": { "Kind": "Ldif" } }, "Sync": { "BatchSize": 0 } }""");

        (int code, string output) = await AgentProcess.RunAsync("agent", "--config", workspace.ConfigPath, "--once");

        Assert.Equal(3, code);
        Assert.Contains("Agent:StatePath is missing", output, StringComparison.Ordinal);
        Assert.Contains("Agent:OutboxDirectory is missing", output, StringComparison.Ordinal);
        Assert.Contains("Agent:Source:LdifPath is missing", output, StringComparison.Ordinal);
        Assert.Contains("Sync:BatchSize", output, StringComparison.Ordinal);

        File.WriteAllText(workspace.ConfigPath, """{ "Agent": { "StatePath": "s.json", "OutboxDirectory": "o", "Source": { "LdifPath": "d.ldif" }, "Typo": 1 } }""");
        (code, output) = await AgentProcess.RunAsync("agent", "--config", workspace.ConfigPath, "--once");
        Assert.Equal(3, code);
        Assert.Contains("Agent:Typo is not a known setting", output, StringComparison.Ordinal);
    }
}
