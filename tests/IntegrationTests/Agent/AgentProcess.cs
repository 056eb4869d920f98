using System.Collections.Concurrent;
using System.Diagnostics;

namespace PasswordHashSync.IntegrationTests.Agent;

/// <summary>
/// The real <c>pwsync agent</c> as a child process (the built pwsync.dll run with <c>dotnet</c>), with its output
/// captured line by line. Disposing kills it if it still runs.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineArrived = new(0);

    private AgentProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far (standard output and error, interleaved by arrival).</summary>
    public string Output => string.Join('\n', _lines);

    public static string PwsyncDll => Path.Combine(AppContext.BaseDirectory, "pwsync.dll");

    /// <summary>Starts <c>dotnet pwsync.dll ARGS</c>.</summary>
    public static AgentProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(PwsyncDll);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_TieredPGO"] = "0"; // a shorter start; the tests start the agent hundreds of times
        return new AgentProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Runs pwsync to completion (at most two minutes) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        using AgentProcess process = Start(arguments);
        int code = await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return (code, process.Output);
    }

    /// <summary>Waits until a line containing <paramref name="text"/> was written.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited && !_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                // Let the output readers drain before giving up.
                await _process.WaitForExitAsync(cts.Token);
                if (!_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
                {
                    throw new Xunit.Sdk.XunitException($"pwsync exited ({_process.ExitCode}) without writing '{text}':\n{Output}");
                }

                return;
            }

            try
            {
                await _lineArrived.WaitAsync(TimeSpan.FromMilliseconds(100), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"pwsync did not write '{text}' within {timeout}:\n{Output}");
            }
        }
    }

    /// <summary>Waits until a line containing <paramref name="text"/> was written, or the time is up, or the process exits.</summary>
    /// <returns>Whether the line came.</returns>
    public async Task<bool> TryWaitForLineAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _process.HasExited)
            {
                return false;
            }

            await _lineArrived.WaitAsync(left < TimeSpan.FromMilliseconds(50) ? left : TimeSpan.FromMilliseconds(50));
        }

        return true;
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as systemd sends on stop.</summary>
    public void Terminate()
    {
        using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"pwsync did not exit within {timeout}:\n{Output}");
        }

        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        _lineArrived.Dispose();
    }

    internal static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void OnLine(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            _lineArrived.Release();
        }
    }
}
