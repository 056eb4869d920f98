using System.Diagnostics;

namespace PasswordHashSync.TestSupport;

/// <summary>
/// Runs an external program (openssl, ktutil, samba-tool, ...) for oracle tests. A missing tool is a test
/// failure with an install hint, never a silent pass.
/// </summary>
/// <remarks>
/// This file has no xunit dependency, so the benchmarks compile it in (linked) for their Samba DC; the test-failing
/// <c>Require</c> is in ExternalTool.Require.cs.
/// </remarks>
public static partial class ExternalTool
{
    /// <summary>The result of a run.</summary>
    /// <param name="ExitCode">The process exit code.</param>
    /// <param name="StandardOutput">Everything written to standard output.</param>
    /// <param name="StandardError">Everything written to standard error.</param>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Finds <paramref name="name"/> on PATH or in /usr/sbin and /sbin.</summary>
    /// <param name="name">The program name.</param>
    /// <returns>The full path, or <see langword="null"/>.</returns>
    public static string? Find(string name)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        IEnumerable<string> folders = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/local/sbin"]);
        foreach (string folder in folders)
        {
            string candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs a program to completion with a time limit.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">The arguments, passed without a shell.</param>
    /// <param name="standardInput">Text for standard input, or <see langword="null"/>.</param>
    /// <param name="timeout">The time limit (default 60 s); the process tree is killed past it.</param>
    /// <param name="environment">Extra environment variables, or <see langword="null"/>.</param>
    /// <returns>The exit code and output.</returns>
    public static Result Run(
        string fileName,
        IEnumerable<string> arguments,
        string? standardInput = null,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach ((string key, string value) in environment)
            {
                startInfo.Environment[key] = value;
            }
        }

        using Process process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} did not finish in time.");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
