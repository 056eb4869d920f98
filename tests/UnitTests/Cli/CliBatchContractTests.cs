using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Digests;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// The pwsync batch JSON-lines contract: published vectors through every op, every error code, ids echoed in order,
/// lone surrogates through passwordUtf16Hex, exit code 0 when every line was answered.
/// </summary>
public class CliBatchContractTests
{
    private static List<JsonElement> RunBatch(params string[] lines)
    {
        CliRunner.Outcome result = CliRunner.Run(string.Join('\n', lines) + "\n", "batch");
        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("\n", result.StandardOutput, StringComparison.Ordinal);
        return [.. result.StandardOutput.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private static JsonElement RunOne(string line) => Assert.Single(RunBatch(line));

    private static string ErrorCode(JsonElement response) => response.GetProperty("error").GetProperty("code").GetString()!;

    [Fact]
    public void Nthash_of_Password_is_the_MS_NLMP_value()
    {
        JsonElement response = RunOne("""{"id":1,"op":"nthash","password":"Password"}""");
        Assert.Equal(1, response.GetProperty("id").GetInt32());
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", response.GetProperty("ntHash").GetString());
    }

    [Fact]
    public void Lmhash_of_Password_is_the_MS_NLMP_value_and_of_Pa_ssw0rd_the_DSInternals_value()
    {
        List<JsonElement> responses = RunBatch(
            """{"id":"a","op":"lmhash","password":"Password"}""",
            """{"id":"b","op":"lmhash","password":"Pa$$w0rd"}""");
        Assert.Equal("e52cac67419a9a224a3b108f3fa6cb6d", responses[0].GetProperty("lmHash").GetString());
        Assert.Equal("727e3576618fa1754a3b108f3fa6cb6d", responses[1].GetProperty("lmHash").GetString());
    }

    [Fact]
    public void Lmhash_of_a_password_without_LM_hash_is_error_no_lm_hash()
    {
        JsonElement response = RunOne("""{"id":9,"op":"lmhash","password":"ThisIsFifteen15"}""");
        Assert.Equal("no_lm_hash", ErrorCode(response));
        Assert.Equal(9, response.GetProperty("id").GetInt32());
    }

    public static TheoryData<string, string, int, string> PublishedAesVectors()
    {
        var data = new TheoryData<string, string, int, string>();
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.PublicVectors));
        foreach (JsonElement vector in document.RootElement.EnumerateArray())
        {
            string algorithm = vector.GetProperty("algorithm").GetString()!;
            if (!algorithm.EndsWith(" string-to-key (RFC 3962)", StringComparison.Ordinal) && !algorithm.EndsWith(" string-to-key (RFC 8009)", StringComparison.Ordinal))
            {
                continue;
            }
            if (!vector.TryGetProperty("password", out JsonElement password) || password.ValueKind != JsonValueKind.String ||
                (vector.TryGetProperty("out_of_scope", out JsonElement outOfScope) && outOfScope.ValueKind == JsonValueKind.True))
            {
                continue;
            }
            string saltHex = vector.TryGetProperty("salt_hex", out JsonElement hex) && hex.ValueKind == JsonValueKind.String
                ? hex.GetString()!
                : Convert.ToHexStringLower(Encoding.UTF8.GetBytes(vector.GetProperty("salt").GetString()!));
            string etype = algorithm[..algorithm.IndexOf(' ', StringComparison.Ordinal)];
            string request = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["op"] = "kerberos",
                ["etype"] = etype,
                ["saltHex"] = saltHex,
                ["iterations"] = vector.GetProperty("iterations").GetInt32(),
                ["password"] = password.GetString()!,
            });
            data.Add(request, etype, vector.GetProperty("iterations").GetInt32(), vector.GetProperty("expected_hex").GetString()!);
        }
        Assert.True(data.Count >= 20, "expected the RFC 3962 / RFC 8009 / DSInternals / Kerberos.NET AES vectors");
        return data;
    }

    [Theory]
    [MemberData(nameof(PublishedAesVectors))]
    public void Kerberos_op_reproduces_the_published_AES_vectors(string request, string etype, int iterations, string expectedKey)
    {
        JsonElement response = RunOne(request);
        Assert.Equal(expectedKey, response.GetProperty("key").GetString());
        Assert.Equal(iterations, response.GetProperty("iterations").GetInt32());
        Assert.Equal(etype.Contains("sha1", StringComparison.Ordinal) ? 17 + (etype.StartsWith("aes256", StringComparison.Ordinal) ? 1 : 0) : 19 + (etype.StartsWith("aes256", StringComparison.Ordinal) ? 1 : 0),
            response.GetProperty("etype").GetInt32());
    }

    [Fact]
    public void Kerberos_op_with_realm_account_and_etype_number_uses_the_AD_user_salt()
    {
        // DSInternals: Pa$$w0rd, salt ADATUM.COMApril, aes256 -> 3a3b...
        JsonElement response = RunOne("""{"id":1,"op":"kerberos","etype":18,"realm":"adatum.com","account":"April","accountType":"user","password":"Pa$$w0rd"}""");
        Assert.Equal("3a3b6a89bb82d112db5ef68f6db5d1afc2b806df61dcd85e3eacf3b85ee382d8", response.GetProperty("key").GetString());
        Assert.Equal(Convert.ToHexStringLower("ADATUM.COMApril"u8), response.GetProperty("salt").GetString());
        Assert.Equal(4096, response.GetProperty("iterations").GetInt32());
    }

    [Fact]
    public void Kerberos_op_with_a_plain_text_salt_and_the_computer_rule_match_Kerberos_NET()
    {
        List<JsonElement> responses = RunBatch(
            """{"id":1,"op":"kerberos","etype":"aes128-cts-hmac-sha1-96","salt":"DOMAIN.COMappservice","password":"P@ssw0rd!"}""",
            """{"id":2,"op":"kerberos","etype":"aes256-cts","realm":"domain.com","account":"appservice$","accountType":"computer","password":"P@ssw0rd!"}""");
        Assert.Equal("0fbcd2cc436529131a78fa02d83a6eb8", responses[0].GetProperty("key").GetString());
        Assert.Equal("37178c78c2f4ada2e0692801683d9df9255f775290dc504ea44414f7a447ae94", responses[1].GetProperty("key").GetString());
    }

    [Fact]
    public void Kerberos_rc4_key_is_the_NT_hash_and_needs_no_salt()
    {
        JsonElement response = RunOne("""{"id":1,"op":"kerberos","etype":"rc4-hmac","password":"Password"}""");
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", response.GetProperty("key").GetString());
        Assert.Equal(string.Empty, response.GetProperty("salt").GetString());
        Assert.Equal(0, response.GetProperty("iterations").GetInt32());
    }

    // DSInternals / JtR OrgId vectors (reference-phs-spec.md 1.2).
    [Theory]
    [InlineData("Pa$$w0rd", "181a3024085fcee2f70e", 1000, "b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a")]
    [InlineData("Pa$$w0rd", "a42b92067e4b8123101a", 1000, "f0fc762ea9051ef754652becd83ee5e54c1c857c1c0965abac5d85de9c143911")]
    [InlineData("Pa$$w0rd", "60eaffd2c886b419df7a", 1000, "ab9c532104713157395a70da85cc8a1b418508753c6997f02341d541328ef16b")]
    [InlineData("Pa$$w0rd", "46c0c5d9095185ce5cf8", 1000, "6bb7b360d9105ed5157460b343d5d143e465a59195bc9b568718268c334ea4a9")]
    [InlineData("Pa$$w0rd", "317ee9d1dec6508fa510", 100, "f4a257ffec53809081a605ce8ddedfbc9df9777b80256763bc0a6dd895ef404f")]
    [InlineData("", "317ee9d1dec6508fa510", 100, "f56b3637eb57e927438c6d0ebbd69d1d95f8e849912915a6733a33921c8e4806")]
    [InlineData("openwall", "724b754c4b6d30526f36", 100, "367ff0ac2a1cb334bb26609c8bfc8ae5f619d1eaf07568df040f407504a20241")]
    [InlineData("JohnTheRipper", "465564476f786e705069", 100, "612a80cb011bee1f929c7a9e2bd16d98a79f2deb9f44919100f7c0ec74508560")]
    [InlineData("password", "31414275383876386e32", 100, "102ce242cde4339e934d7c6b539d49ae340b02dd380815666b98bd036cd4dc4f")]
    public void Digest_and_verify_ops_reproduce_the_published_OrgId_vectors(string password, string saltHex, int iterations, string hash)
    {
        string wire = $"v1;PPH1_MD4,{saltHex},{iterations},{hash};";
        string passwordJson = JsonSerializer.Serialize(password);
        List<JsonElement> responses = RunBatch(
            $$"""{"id":1,"op":"digest","password":{{passwordJson}},"saltHex":"{{saltHex.ToUpperInvariant()}}","iterations":{{iterations}}}""",
            $$"""{"id":2,"op":"verify","password":{{passwordJson}},"digest":"{{wire}}"}""",
            $$"""{"id":3,"op":"verify","password":{{JsonSerializer.Serialize(password + "x")}},"digest":"{{wire}}"}""");
        Assert.Equal(wire, responses[0].GetProperty("digest").GetString());
        Assert.Equal(iterations < 1000 ? "successRehashNeeded" : "success", responses[1].GetProperty("result").GetString());
        Assert.Equal("failed", responses[2].GetProperty("result").GetString());
    }

    [Fact]
    public void Digest_and_verify_accept_an_NT_hash_instead_of_a_password()
    {
        List<JsonElement> responses = RunBatch(
            """{"id":1,"op":"digest","ntHash":"92937945b518814341de3f726500d4ff","saltHex":"181a3024085fcee2f70e"}""",
            """{"id":2,"op":"verify","ntHash":"92937945B518814341DE3F726500D4FF","digest":"v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;"}""");
        Assert.Equal("v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;", responses[0].GetProperty("digest").GetString());
        Assert.Equal("success", responses[1].GetProperty("result").GetString());
    }

    [Fact]
    public void Digest_without_saltHex_uses_a_random_10_byte_salt_and_1000_iterations()
    {
        string digest = RunOne("""{"id":1,"op":"digest","password":"x"}""").GetProperty("digest").GetString()!;
        Assert.Matches("^v1;PPH1_MD4,[0-9a-f]{20},1000,[0-9a-f]{64};$", digest);
    }

    [Theory]
    [InlineData("00d8")]                 // a lone high surrogate
    [InlineData("00dc4100")]             // a lone low surrogate then 'A'
    [InlineData("410000d842004300")]     // a lone high surrogate inside text
    [InlineData("34d81edd")]             // a valid pair (U+1D11E), for contrast
    public void PasswordUtf16Hex_keeps_exact_code_units_for_the_NT_hash(string utf16Hex)
    {
        byte[] bytes = Convert.FromHexString(utf16Hex);
        var md4 = new MD4Digest();
        md4.BlockUpdate(bytes, 0, bytes.Length);
        byte[] expected = new byte[16];
        md4.DoFinal(expected, 0);
        JsonElement response = RunOne($$"""{"id":"s","op":"nthash","passwordUtf16Hex":"{{utf16Hex}}"}""");
        Assert.Equal(Convert.ToHexStringLower(expected), response.GetProperty("ntHash").GetString());
    }

    [Fact]
    public void A_lone_surrogate_escape_in_a_JSON_string_is_invalid_value_pointing_to_passwordUtf16Hex()
    {
        JsonElement response = RunOne("""{"id":1,"op":"nthash","password":"a\ud800b"}""");
        Assert.Equal("invalid_value", ErrorCode(response));
        Assert.Contains("passwordUtf16Hex", response.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PasswordUtf16Hex_g_clef_gives_the_RFC_3962_key()
    {
        // RFC 3962 B: password U+1D11E, salt "EXAMPLE.COMpianist", 50 iterations, aes128 -> f149...
        JsonElement response = RunOne("""{"id":1,"op":"kerberos","etype":17,"salt":"EXAMPLE.COMpianist","iterations":50,"passwordUtf16Hex":"34d81edd"}""");
        Assert.Equal("f149c1f2e154a73452d43e7fe62a56e5", response.GetProperty("key").GetString());
    }

    [Fact]
    public void Invalid_json_gets_error_invalid_json_with_id_null_and_processing_continues()
    {
        List<JsonElement> responses = RunBatch(
            """{"id":1,"op":"nthash","password":"Password"}""",
            """{"id":2,"op":"nthash","password":""",
            "[1,2]",
            """{"id":3} {"id":4}""",
            """{"id":5,"op":"nthash","password":"Password"}""");
        Assert.Equal(5, responses.Count);
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", responses[0].GetProperty("ntHash").GetString());
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(JsonValueKind.Null, responses[i].GetProperty("id").ValueKind);
            Assert.Equal("invalid_json", ErrorCode(responses[i]));
        }
        Assert.Equal(5, responses[4].GetProperty("id").GetInt32());
    }

    [Fact]
    public void Invalid_UTF8_on_a_line_is_invalid_json()
    {
        byte[] input = [.. "{\"id\":1,\"op\":\"nthash\",\"password\":\"a"u8, 0xff, .. "\"}\n"u8];
        CliRunner.Outcome result = CliRunner.RunBytes(input, inputIsTerminal: false, prompt: null, "batch");
        JsonElement response = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("invalid_json", ErrorCode(response));
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void Unknown_op_gets_error_unknown_op()
    {
        Assert.Equal("unknown_op", ErrorCode(RunOne("""{"id":1,"op":"sha1","password":"x"}""")));
    }

    [Theory]
    [InlineData("""{"id":1,"password":"x"}""", "op")]
    [InlineData("""{"id":1,"op":"nthash"}""", "password")]
    [InlineData("""{"id":1,"op":"kerberos","password":"x"}""", "etype")]
    [InlineData("""{"id":1,"op":"kerberos","etype":18,"password":"x"}""", "salt")]
    [InlineData("""{"id":1,"op":"kerberos","etype":18,"account":"alice","password":"x"}""", "realm")]
    [InlineData("""{"id":1,"op":"verify","password":"x"}""", "digest")]
    [InlineData("""{"id":1,"op":"digest"}""", "password")]
    public void A_missing_field_gets_error_missing_field_naming_it(string request, string field)
    {
        JsonElement response = RunOne(request);
        Assert.Equal("missing_field", ErrorCode(response));
        Assert.Contains($"'{field}'", response.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":1,"op":"nthash","password":42}""")]
    [InlineData("""{"id":1,"op":"nthash","password":"x","passwordUtf16Hex":"7800"}""")]
    [InlineData("""{"id":1,"op":"nthash","passwordUtf16Hex":"780"}""")]
    [InlineData("""{"id":1,"op":"nthash","passwordUtf16Hex":"78"}""")]
    [InlineData("""{"id":1,"op":"nthash","passwordUtf16Hex":"zz00"}""")]
    [InlineData("""{"id":1,"op":"kerberos","etype":"des3-cbc-sha1","salt":"s","password":"x"}""")]
    [InlineData("""{"id":1,"op":"kerberos","etype":99,"salt":"s","password":"x"}""")]
    [InlineData("""{"id":1,"op":"kerberos","etype":18,"salt":"s","iterations":0,"password":"x"}""")]
    [InlineData("""{"id":1,"op":"kerberos","etype":18,"salt":"s","iterations":16777216,"password":"x"}""")]
    [InlineData("""{"id":1,"op":"kerberos","etype":23,"iterations":5,"password":"x"}""")]
    [InlineData("""{"id":1,"op":"kerberos","etype":18,"salt":"s","saltHex":"00","password":"x"}""")]
    [InlineData("""{"id":1,"op":"kerberos","etype":18,"realm":"R","account":"a","accountType":"service","password":"x"}""")]
    [InlineData("""{"id":1,"op":"digest","password":"x","saltHex":""}""")]
    [InlineData("""{"id":1,"op":"digest","password":"x","iterations":-1}""")]
    [InlineData("""{"id":1,"op":"digest","password":"x","iterations":1.5}""")]
    [InlineData("""{"id":1,"op":"digest","ntHash":"00112233"}""")]
    [InlineData("""{"id":1,"op":"digest","password":"x","ntHash":"00112233445566778899aabbccddeeff"}""")]
    [InlineData("""{"id":1,"op":"verify","password":"x","digest":"v1;PPH1_MD4,00,1000,00;"}""")]
    [InlineData("""{"id":1,"op":"lmhash","password":"x","oemCodePage":1}""")]
    [InlineData("""{"id":1,"op":7}""")]
    public void A_wrong_value_gets_error_invalid_value(string request)
    {
        JsonElement response = RunOne(request);
        Assert.Equal("invalid_value", ErrorCode(response));
        Assert.Equal(1, response.GetProperty("id").GetInt32());
    }

    [Fact]
    public void Error_messages_never_echo_the_password()
    {
        const string secret = "Correct-Horse-Battery-Staple";
        List<JsonElement> responses = RunBatch(
            $$"""{"id":1,"op":"lmhash","password":"{{secret}}"}""",
            $$"""{"id":2,"op":"verify","password":"{{secret}}","digest":"v1;PPH1_MD4,{{secret}};"}""",
            $$"""{"id":3,"op":"frobnicate","password":"{{secret}}"}""",
            $$"""{"id":4,"op":"nthash","password":"{{secret}}""");
        Assert.Equal(4, responses.Count);
        foreach (JsonElement response in responses)
        {
            Assert.True(response.TryGetProperty("error", out _));
            Assert.DoesNotContain(secret, response.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Ids_of_any_JSON_type_are_echoed_in_request_order_and_blank_lines_are_skipped()
    {
        string[] ids = ["1", "\"two\"", "3.5", "{\"k\":[1,2]}", "null", "true", "-7"];
        var lines = new List<string>();
        foreach (string id in ids)
        {
            lines.Add($$"""{"id":{{id}},"op":"nthash","password":"Password"}""");
            lines.Add("   ");
        }
        lines.Add("""{"op":"nthash","password":"Password"}""");
        List<JsonElement> responses = RunBatch([.. lines]);
        Assert.Equal(ids.Length + 1, responses.Count);
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.Equal(JsonDocument.Parse(ids[i]).RootElement.GetRawText(), responses[i].GetProperty("id").GetRawText());
            Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", responses[i].GetProperty("ntHash").GetString());
        }
        Assert.Equal(JsonValueKind.Null, responses[^1].GetProperty("id").ValueKind);
    }

    [Fact]
    public void Many_lines_get_as_many_responses_with_CRLF_line_ends_and_no_final_newline()
    {
        var input = new StringBuilder();
        for (int i = 0; i < 200; i++)
        {
            input.Append("{\"id\":").Append(i).Append(",\"op\":\"nthash\",\"password\":\"p").Append(i).Append("\"}");
            if (i < 199)
            {
                input.Append("\r\n");
            }
        }
        CliRunner.Outcome result = CliRunner.Run(input.ToString(), "batch");
        Assert.Equal(0, result.ExitCode);
        string[] lines = result.StandardOutput.TrimEnd('\n').Split('\n');
        Assert.Equal(200, lines.Length);
        for (int i = 0; i < 200; i++)
        {
            JsonElement response = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal(i, response.GetProperty("id").GetInt32());
            Assert.Equal(Convert.ToHexStringLower(NtHash.Compute("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))), response.GetProperty("ntHash").GetString());
        }
    }

    [Fact]
    public void A_line_over_one_MiB_gets_invalid_json_and_the_next_line_is_still_answered()
    {
        string huge = "{\"id\":1,\"op\":\"nthash\",\"password\":\"" + new string('a', (1 << 20) + 10) + "\"}";
        List<JsonElement> responses = RunBatch(huge, """{"id":2,"op":"nthash","password":"Password"}""");
        Assert.Equal(2, responses.Count);
        Assert.Equal("invalid_json", ErrorCode(responses[0]));
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", responses[1].GetProperty("ntHash").GetString());
    }

    [Fact]
    public void Hex_output_is_lowercase()
    {
        JsonElement response = RunOne("""{"id":1,"op":"kerberos","etype":18,"saltHex":"ABCDEF","password":"Password"}""");
        Assert.Equal(response.GetProperty("key").GetString()!.ToLowerInvariant(), response.GetProperty("key").GetString());
        Assert.Equal("abcdef", response.GetProperty("salt").GetString());
    }

    [Fact]
    public void Each_response_is_written_and_flushed_before_the_next_line_is_read()
    {
        using var output = new MemoryStream();
        string[] lines = [.. Enumerable.Range(0, 5).Select(i => $$"""{"id":{{i}},"op":"nthash","password":"Password"}""" + "\n")];
        using var input = new LineByLineStream(lines, output);
        using var error = new StringWriter();
        int code = PasswordHashSync.Cli.CliApplication.Run(["batch"], new PasswordHashSync.Cli.CliContext(input, output, error));
        Assert.Equal(0, code);
        // Before handing out line n, the input stream saw exactly n complete responses on the output.
        Assert.Equal([0, 1, 2, 3, 4, 5], input.ResponsesSeenBeforeEachRead);
    }
}
