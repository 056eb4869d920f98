using System.Globalization;
using Xunit.Abstractions;

namespace PasswordHashSync.IntegrationTests.Agent;

/// <summary>
/// The crash test of the issue: the real agent is killed with SIGKILL at random moments (at least 100 times) while
/// the directory's passwords change; afterwards every change is in the outbox, per user in order, none missing, and
/// every visible segment is whole.
/// </summary>
public sealed class AgentCrashTests(ITestOutputHelper output)
{
    private const int Users = 6;
    private const int Kills = 100;

    [Fact]
    public async Task KilledAtRandomMoments_LosesNoChange_AndNeverReordersAUser()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using var workspace = new AgentWorkspace(Users);
        int changes = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();

        for (int kill = 0; kill < Kills; kill++)
        {
            changes += ChangeDeliveredUsers(workspace, random);
            using AgentProcess agent = AgentProcess.Start("agent", "--config", workspace.ConfigPath);
            await agent.WaitForLineAsync("[2000]", TimeSpan.FromSeconds(60));
            await KillMomentAsync(agent, random);
            if (random.Next(3) == 0)
            {
                // A change while the agent runs: the next re-read (or the next start) must pick it up.
                changes += ChangeDeliveredUsers(workspace, random);
                await Task.Delay(random.Next(0, 100));
            }

            agent.Kill();
            Assert.True(agent.HasExited);
        }

        TimeSpan killing = started.Elapsed;
        List<int>[] delivered = [];
        for (int attempt = 0; attempt < 5; attempt++)
        {
            (int code, string log) = await AgentProcess.RunAsync("agent", "--config", workspace.ConfigPath, "--once");
            Assert.True(code == 0, log);
            delivered = workspace.DeliveredVersions();
            if (Enumerable.Range(0, Users).All(u => delivered[u].Contains(workspace.Versions[u])))
            {
                break;
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Kills} kills in {killing.TotalSeconds:F1} s, {changes} password changes, {workspace.Segments().Length} segments"));
        Assert.True(changes >= 20, $"only {changes} changes were made; the test would prove little");
        for (int u = 0; u < Users; u++)
        {
            List<int> versions = delivered[u];
            output.WriteLine($"{AgentWorkspace.UserName(u)}: final {workspace.Versions[u]}, delivered [{string.Join(",", versions)}]");

            // None missing: every version the directory held is in the outbox.
            Assert.Equal(Enumerable.Range(1, workspace.Versions[u]), versions.Distinct().Order());

            // In order: never an older password after a newer one (repeats are the at-least-once re-sends).
            for (int i = 1; i < versions.Count; i++)
            {
                Assert.True(versions[i] >= versions[i - 1], $"{AgentWorkspace.UserName(u)}: version {versions[i]} after {versions[i - 1]}");
            }
        }
    }

    // Where the kill lands: soon after start, right after a segment became visible (before the watermark is saved),
    // right after a cycle completed (the next one is starting), or anywhere in the first cycles. Log lines arrive a
    // little late (the console logger writes on its own thread), which only spreads the moments further.
    private static async Task KillMomentAsync(AgentProcess agent, Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                await Task.Delay(random.Next(0, 100));
                break;
            case 1:
                await agent.TryWaitForLineAsync("[2004]", TimeSpan.FromSeconds(2));
                await Task.Delay(random.Next(0, 20));
                break;
            case 2:
                await agent.TryWaitForLineAsync("[1000]", TimeSpan.FromSeconds(2));
                await Task.Delay(random.Next(0, 60));
                break;
            default:
                await Task.Delay(random.Next(0, 600));
                break;
        }
    }

    // A user's password changes only once its current one is in the outbox, so every version must be delivered
    // (versions the engine may collapse, two changes within one cycle, never arise).
    private static int ChangeDeliveredUsers(AgentWorkspace workspace, Random random)
    {
        List<int>[] delivered = workspace.DeliveredVersions();
        int changed = 0;
        for (int u = 0; u < workspace.Versions.Length; u++)
        {
            if (delivered[u].Contains(workspace.Versions[u]) && random.Next(2) == 0)
            {
                workspace.Versions[u]++;
                changed++;
            }
        }

        if (changed > 0)
        {
            workspace.WriteLdif();
        }

        return changed;
    }
}
