using System.Diagnostics;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Packaging;

/// <summary>
/// Packs the library once, with a unique prerelease version, into a temporary feed. Builds into its own
/// artifacts folder so the repository's bin/obj are not touched, and removes the version it put in the NuGet
/// global packages folder when done.
/// </summary>
public sealed class PackedPackageFixture : IDisposable
{
    public PackedPackageFixture()
    {
        Dotnet = FindDotnet();
        Version = $"0.0.0-pkgtest.{Guid.NewGuid():N}";
        WorkDirectory = System.IO.Directory.CreateTempSubdirectory("phs-package-").FullName;
        FeedDirectory = Path.Combine(WorkDirectory, "feed");
        string project = Path.Combine(RepositoryPaths.Root, "src", "PasswordHashSync", "PasswordHashSync.csproj");

        // The commit the pack builds (SourceLink and the nuspec take it from git now), read here once: HEAD read again
        // when a test runs, minutes later, differs whenever a commit lands meanwhile [measured: a commit during a run].
        Commit = Run(ExternalTool.Require("git", "git"), ["rev-parse", "HEAD"], RepositoryPaths.Root, TimeSpan.FromSeconds(30)).Trim();
        Run(
            Dotnet,
            ["pack", project, "-c", "Release", "-o", FeedDirectory, "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"), $"-p:Version={Version}", "-nologo"],
            RepositoryPaths.Root,
            TimeSpan.FromMinutes(10)); // a full Release build of the library on a loaded 2-core CI machine
        PackagePath = Path.Combine(FeedDirectory, $"PasswordHashSync.{Version}.nupkg");
        SymbolPackagePath = Path.Combine(FeedDirectory, $"PasswordHashSync.{Version}.snupkg");
    }

    /// <summary>The dotnet host running these tests (or the one on PATH).</summary>
    public string Dotnet { get; }

    public string Version { get; }

    public string Commit { get; }

    public string WorkDirectory { get; }

    public string FeedDirectory { get; }

    public string PackagePath { get; }

    public string SymbolPackagePath { get; }

    public void Dispose()
    {
        TryDelete(WorkDirectory);
        string globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(globalPackages, "passwordhashsync", Version.ToLowerInvariant()));
    }

    /// <summary>
    /// Runs a dotnet command without the MSBuild variables the test host sets (they would point the child build
    /// at this test run's MSBuild), with a time limit; a non-zero exit fails the test with the full output.
    /// </summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="timeout">How long it may take.</param>
    /// <param name="environment">Variables to set (or replace) for the child, if any.</param>
    public static string Run(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (string key in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        using Process process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string command = $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}";
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"'{command}' did not finish within {timeout.TotalSeconds:0} s.");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"'{command}' exited with {process.ExitCode}.{Environment.NewLine}{stdout.Result}{Environment.NewLine}{stderr.Result}");
        }

        return stdout.Result;
    }

    private static string FindDotnet()
    {
        // `dotnet test` tells its children which host started it; prefer that SDK over whatever PATH holds.
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : ExternalTool.Require("dotnet", "dotnet-sdk-10.0");
    }

    /// <summary>Deletes a temporary folder, best effort.</summary>
    /// <param name="directory">The folder.</param>
    internal static void TryDelete(string directory)
    {
        try
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder must not turn a passing run into a failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
