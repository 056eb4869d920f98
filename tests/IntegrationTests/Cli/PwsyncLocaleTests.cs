using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Cli;

/// <summary>
/// pwsync run as a process under a non-English locale still speaks one language: System.CommandLine translates its
/// own help headings and parse errors by the UI culture (German "Verwendung:" under de_DE), which Program pins.
/// </summary>
public sealed class PwsyncLocaleTests
{
    [Theory]
    [InlineData("de_DE.UTF-8")]
    [InlineData("tr_TR.UTF-8")]
    public void Help_and_parse_errors_stay_English_under_another_locale(string locale)
    {
        var environment = new Dictionary<string, string> { ["LANG"] = locale, ["LC_ALL"] = locale, ["LANGUAGE"] = string.Empty };

        ExternalTool.Result help = Pwsync(["sync", "--help"], environment);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage:", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Options:", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Show help and usage information", help.StandardOutput, StringComparison.Ordinal);

        ExternalTool.Result wrong = Pwsync(["sync", "--no-such-option"], environment);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("--no-such-option", wrong.StandardError, StringComparison.Ordinal);
        Assert.StartsWith("pwsync sync: unknown option '--no-such-option'", wrong.StandardError, StringComparison.Ordinal);
    }

    private static ExternalTool.Result Pwsync(string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        string pwsync = Path.Combine(AppContext.BaseDirectory, "pwsync.dll");
        Assert.True(File.Exists(pwsync), "pwsync.dll must be next to the tests");
        string dotnet = Environment.ProcessPath is string host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        return ExternalTool.Run(dotnet, [pwsync, .. arguments], environment: environment, timeout: TimeSpan.FromSeconds(60));
    }
}
