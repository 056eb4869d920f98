using System.Text;
using System.Text.Json;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// The batch reader's edges (issue 13, items 6 and 8): a UTF-8 byte-order mark before the first line is accepted,
/// and a per-request iteration budget (<c>--settings</c>, <c>maxIterationsPerRequest</c>) refuses a costly line with
/// <c>over_budget</c> before any key is derived.
/// </summary>
public sealed class CliBatchLimitsTests : IDisposable
{
    private static readonly byte[] s_bom = [0xEF, 0xBB, 0xBF];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "phs-cli-batch-" + Guid.NewGuid().ToString("N"));

    public CliBatchLimitsTests() => System.IO.Directory.CreateDirectory(_folder);

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    private static List<JsonElement> Responses(CliRunner.Outcome result)
    {
        Assert.Equal(0, result.ExitCode);
        return [.. result.StandardOutput.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private static string? ErrorCode(JsonElement response) =>
        response.TryGetProperty("error", out JsonElement error) ? error.GetProperty("code").GetString() : null;

    [Fact]
    public void A_UTF8_byte_order_mark_before_the_first_line_is_skipped()
    {
        byte[] input = [.. s_bom, .. """{"id":1,"op":"nthash","password":"Password"}"""u8, (byte)'\n'];
        JsonElement response = Assert.Single(Responses(CliRunner.RunBytes(input, inputIsTerminal: false, prompt: null, "batch")));
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", response.GetProperty("ntHash").GetString());
    }

    [Fact]
    public void A_byte_order_mark_anywhere_else_is_not_JSON()
    {
        byte[] input = [.. """{"id":1,"op":"nthash","password":"Password"}"""u8, (byte)'\n', .. s_bom, .. """{"id":2,"op":"nthash","password":"Password"}"""u8, (byte)'\n'];
        List<JsonElement> responses = Responses(CliRunner.RunBytes(input, inputIsTerminal: false, prompt: null, "batch"));
        Assert.Equal(2, responses.Count);
        Assert.Null(ErrorCode(responses[0]));
        Assert.Equal("invalid_json", ErrorCode(responses[1]));
    }

    [Fact]
    public void Only_one_byte_order_mark_is_skipped()
    {
        byte[] input = [.. s_bom, .. s_bom, .. """{"id":1,"op":"nthash","password":"Password"}"""u8, (byte)'\n'];
        Assert.Equal("invalid_json", ErrorCode(Assert.Single(Responses(CliRunner.RunBytes(input, inputIsTerminal: false, prompt: null, "batch")))));
    }

    [Fact]
    public void A_max_iteration_Kerberos_line_is_over_budget_by_default_and_the_batch_goes_on()
    {
        // 2^24 - 1 string-to-key iterations would cost ~14 s; the default budget (1,000,000) refuses it at once.
        string input =
            """{"id":1,"op":"kerberos","etype":18,"salt":"ATHENA.MIT.EDUraeburn","iterations":16777215,"password":"password"}""" + "\n" +
            """{"id":2,"op":"kerberos","etype":17,"salt":"ATHENA.MIT.EDUraeburn","iterations":1,"password":"password"}""" + "\n";
        List<JsonElement> responses = Responses(CliRunner.Run(input, "batch"));
        Assert.Equal("over_budget", ErrorCode(responses[0]));
        Assert.Equal(
            "the request asks for 16777215 iterations, more than the batch allows per request (1000000; setting maxIterationsPerRequest)",
            responses[0].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(1, responses[0].GetProperty("id").GetInt32());
        // RFC 3962 appendix B, iteration count 1, AES128.
        Assert.Equal("42263c6e89f4fc28b8df68ee09799f15", responses[1].GetProperty("key").GetString());
    }

    [Fact]
    public void The_budget_setting_counts_default_iterations_and_digest_iterations()
    {
        string settings = Path.Combine(_folder, "batch.json");
        File.WriteAllText(settings, "{ \"maxIterationsPerRequest\": 2000 }");
        string input =
            """{"id":1,"op":"kerberos","etype":18,"salt":"ATHENA.MIT.EDUraeburn","password":"password"}""" + "\n" +
            """{"id":2,"op":"kerberos","etype":23,"password":"Password"}""" + "\n" +
            """{"id":3,"op":"digest","password":"Pa$$w0rd","saltHex":"181a3024085fcee2f70e","iterations":2001}""" + "\n" +
            """{"id":4,"op":"digest","password":"Pa$$w0rd","saltHex":"181a3024085fcee2f70e"}""" + "\n";
        List<JsonElement> responses = Responses(CliRunner.Run(input, "batch", "--settings", settings));

        Assert.Equal("over_budget", ErrorCode(responses[0])); // AES's default 4096 iterations
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", responses[1].GetProperty("key").GetString()); // RC4 has none
        Assert.Equal("over_budget", ErrorCode(responses[2]));
        Assert.Equal(
            "v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;",
            responses[3].GetProperty("digest").GetString());
    }

    [Theory]
    [InlineData("{ \"maxIterationsPerRequest\": 0 }")]
    [InlineData("{ \"maxIterationsPerRequest\": 16777216 }")]
    [InlineData("{ \"maxIterationsPerRequest\": \"1000\" }")]
    [InlineData("{ \"maxIterationPerRequest\": 1000 }")]
    [InlineData("not json")]
    public void A_bad_batch_settings_file_is_a_data_error_exit_3(string text)
    {
        string settings = Path.Combine(_folder, "bad.json");
        File.WriteAllText(settings, text, new UTF8Encoding(false));
        CliRunner.Outcome result = CliRunner.Run("""{"id":1,"op":"nthash","password":"x"}""" + "\n", "batch", "--settings", settings);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.StartsWith("pwsync batch: batch settings file", result.StandardError, StringComparison.Ordinal);
    }
}
