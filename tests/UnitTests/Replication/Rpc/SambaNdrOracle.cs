using System.Text.Json;
using System.Text.Json.Nodes;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Replication.Rpc;

/// <summary>
/// Runs samba_dcerpc_pack.py (committed beside this file) with the Python that Samba's own tools use, so PDUs and
/// stubs are packed by Samba's NDR encoder (python3-samba), not by code of this project.
/// </summary>
internal static class SambaNdrOracle
{
    public const string Ndr = "8a885d04-1ceb-11c9-9fe8-08002b104860";
    public const string Drsuapi = "e3514235-4b06-11d1-ab04-00c04fc2dcd2";
    public const string Epm = "e1af8308-5d1f-11c9-91a4-08002b14a0fa";

    public static IReadOnlyList<byte[]> Pack(params JsonObject[] cases)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Replication", "Rpc", "samba_dcerpc_pack.py");
        var input = new JsonArray(cases.Select(c => c.DeepClone()).ToArray());
        ExternalTool.Result result = ExternalTool.Run(Python(), [script], standardInput: input.ToJsonString(), timeout: TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("samba_dcerpc_pack.py failed: " + result.StandardError);
        }

        return JsonSerializer.Deserialize<string[]>(result.StandardOutput)!.Select(Convert.FromHexString).ToList();
    }

    public static JsonObject Syntax(string uuid, int major, int minor = 0) => new() { ["uuid"] = uuid, ["major"] = major, ["minor"] = minor };

    public static JsonObject Auth(int type, int level, int pad, uint contextId, byte[] credentials) => new()
    {
        ["type"] = type, ["level"] = level, ["pad"] = pad, ["context_id"] = contextId, ["credentials"] = Convert.ToHexString(credentials),
    };

    private static string Python()
    {
        // Samba's tools name their interpreter on the first line; that one has the samba module.
        string sambaTool = ExternalTool.Require("samba-tool", "samba");
        string firstLine = File.ReadLines(sambaTool).FirstOrDefault() ?? string.Empty;
        string interpreter = firstLine.StartsWith("#!", StringComparison.Ordinal) ? firstLine[2..].Trim().Split(' ')[0] : string.Empty;
        return interpreter.Length > 0 && File.Exists(interpreter) && !interpreter.EndsWith("/env", StringComparison.Ordinal)
            ? interpreter
            : ExternalTool.Require("python3", "python3-samba");
    }
}
