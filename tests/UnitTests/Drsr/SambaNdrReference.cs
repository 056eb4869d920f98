using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Drsr;

/// <summary>
/// Runs <c>samba_drsuapi_reference.py</c>, which builds drsuapi structures with Samba's own pidl-generated NDR
/// (python3-samba: <c>samba.dcerpc.drsuapi</c>, <c>samba.ndr</c>). The interpreter is the one samba-tool runs with,
/// because that is the one that has the samba modules.
/// </summary>
internal static class SambaNdrReference
{
    private static readonly Lazy<string> s_python = new(FindPython);

    /// <summary>Runs the script with arguments and returns its standard output.</summary>
    /// <param name="arguments">The subcommand and its arguments.</param>
    /// <returns>The output (JSON).</returns>
    public static string Run(params string[] arguments)
    {
        string script = Path.Combine(RepositoryPaths.Root, "tests", "UnitTests", "Drsr", "samba_drsuapi_reference.py");
        ExternalTool.Result result = ExternalTool.Run(s_python.Value, [script, .. arguments], timeout: TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, $"samba_drsuapi_reference.py {string.Join(' ', arguments)} failed: {result.StandardError}");
        return result.StandardOutput;
    }

    private static string FindPython()
    {
        string sambaTool = ExternalTool.Require("samba-tool", "samba");
        string firstLine = File.ReadLines(sambaTool).FirstOrDefault() ?? string.Empty;
        string interpreter = firstLine.StartsWith("#!", StringComparison.Ordinal) ? firstLine[2..].Trim().Split(' ')[0] : string.Empty;
        if (interpreter.Length > 0 && File.Exists(interpreter) && !interpreter.EndsWith("/env", StringComparison.Ordinal))
        {
            return interpreter;
        }

        return ExternalTool.Require("python3", "python3-samba");
    }
}
