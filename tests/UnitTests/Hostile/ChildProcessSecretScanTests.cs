using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Hostile;

/// <summary>
/// Rule: once the secret-holding objects are disposed (or the batch has answered), no copy of an AES key or a
/// password is left anywhere in the process. Measured as the audit did, in a fresh child process
/// (tests/SecretScanHost) that does one scenario and then reads all its readable memory through /proc/self/mem after
/// a full compacting GC. Each scenario has a control run that keeps the objects alive, which must find copies: the
/// scan can fail.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public class ChildProcessSecretScanTests
{
    private const int Repeats = 5000;

    [Theory]
    [InlineData("decide")]
    [InlineData("write")]
    public void No_copy_of_the_AES_key_is_left_after_dispose(string scenario)
    {
        string keyHex = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        Assert.Equal(0, Copies(Run(scenario, "dispose", keyHex)));
    }

    [Theory]
    [InlineData("decide", 3)] // three records, each with its own pinned key
    [InlineData("write", 1)] // the parsed blob's one key
    public void The_scan_finds_the_key_while_the_objects_are_not_disposed(string scenario, int atLeast)
    {
        string keyHex = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        Assert.InRange(Copies(Run(scenario, "keep", keyHex)), atLeast, int.MaxValue);
    }

    [Fact]
    public void The_batch_leaves_no_copy_of_the_passwords_after_answering()
    {
        (string passwordHex, string requests) = BatchRequests();
        (int utf8, int utf16) = BatchCopies(Run("batch", "dispose", passwordHex, requests));
        Assert.Equal((0, 0), (utf8, utf16));
    }

    [Fact]
    public void The_scan_finds_the_password_in_buffered_requests_and_their_decoded_text()
    {
        (string passwordHex, string requests) = BatchRequests();
        (int utf8, int utf16) = BatchCopies(Run("batch", "keep", passwordHex, requests));
        Assert.InRange(utf8, Repeats, int.MaxValue); // at least once per request line
        Assert.InRange(utf16, Repeats, int.MaxValue);
    }

    /// <summary>
    /// One request per op that takes a password, all with the same random 24-letter password, after 5,000 nthash
    /// requests: enough that garbage collections run while passwords are live (a compacting GC moves a live string or
    /// ordinary array and leaves the old bytes in free memory; with one request there is nothing for it to move).
    /// </summary>
    private static (string PasswordHex, string Requests) BatchRequests()
    {
        string password = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 24);
        var requests = new StringBuilder();
        for (int i = 0; i < Repeats; i++)
        {
            requests.Append(CultureInfo.InvariantCulture, $"{{\"id\":{100 + i},\"op\":\"nthash\",\"password\":\"{password}\"}}\n");
        }

        requests.Append(CultureInfo.InvariantCulture, $"{{\"id\":1,\"op\":\"nthash\",\"password\":\"{password}\"}}\n");
        requests.Append(CultureInfo.InvariantCulture, $"{{\"id\":2,\"op\":\"lmhash\",\"password\":\"{password[..14]}\"}}\n");
        requests.Append(CultureInfo.InvariantCulture, $"{{\"id\":3,\"op\":\"kerberos\",\"etype\":\"aes256-cts-hmac-sha1-96\",\"realm\":\"CONTOSO.COM\",\"account\":\"alice\",\"password\":\"{password}\"}}\n");
        requests.Append(CultureInfo.InvariantCulture, $"{{\"id\":4,\"op\":\"digest\",\"password\":\"{password}\",\"saltHex\":\"181a3024085fcee2f70e\"}}\n");
        requests.Append(CultureInfo.InvariantCulture, $"{{\"id\":5,\"op\":\"verify\",\"password\":\"{password}\",\"digest\":\"v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;\"}}\n");
        requests.Append(CultureInfo.InvariantCulture, $"{{\"id\":6,\"op\":\"nthash\",\"passwordUtf16Hex\":\"{Convert.ToHexString(Encoding.Unicode.GetBytes(password))}\"}}\n");
        return (Convert.ToHexString(Encoding.UTF8.GetBytes(password)), requests.ToString());
    }

    private static string Run(string scenario, string mode, string secretHex, string? standardInput = null)
    {
        string host = Path.Combine(AppContext.BaseDirectory, "SecretScanHost.dll");
        Assert.True(File.Exists(host), $"{host} is missing (tests/SecretScanHost is built with the unit tests)");
        string dotnet = Environment.ProcessPath is string self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        ExternalTool.Result result = ExternalTool.Run(dotnet, ["exec", host, scenario, mode, secretHex], standardInput ?? string.Empty, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"SecretScanHost {scenario} {mode} exited {result.ExitCode}: {result.StandardError}");
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (scenario == "batch")
        {
            // Every request was answered (no error response), so every op really handled the password.
            Assert.Equal(Repeats + 7, lines.Length);
            Assert.DoesNotContain(lines, line => line.Contains("\"error\"", StringComparison.Ordinal));
            Assert.Contains("\"result\":\"", lines[^3], StringComparison.Ordinal);
        }

        return lines[^1];
    }

    private static int Copies(string report) =>
        int.Parse(report.AsSpan("copies: ".Length), CultureInfo.InvariantCulture);

    private static (int Utf8, int Utf16) BatchCopies(string report)
    {
        string[] fields = report.Split(' ');
        Assert.Equal(["copies:", "utf8", "utf16"], new[] { fields[0], fields[1], fields[3] });
        return (int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[4], CultureInfo.InvariantCulture));
    }
}
