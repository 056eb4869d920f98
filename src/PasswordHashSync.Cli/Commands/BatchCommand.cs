using System.CommandLine;
using PasswordHashSync.Cli.Execution;

namespace PasswordHashSync.Cli.Commands;

/// <summary><c>pwsync batch</c>: the JSON-lines contract on standard input and output.</summary>
internal sealed class BatchCommand : CliCommand
{
    private readonly Option<string> _settings = new("--settings")
    {
        Description = "Batch settings as JSON, for example {\"maxIterationsPerRequest\": 1000000} (the default).",
        HelpName = "FILE",
    };

    /// <inheritdoc />
    public override string Name => "batch";

    /// <inheritdoc />
    public override string Description => "JSON lines: one request per stdin line, one response per stdout line, same order.";

    /// <inheritdoc />
    public override string HelpNotes =>
        "Usage: pwsync batch < requests.jsonl > responses.jsonl\n\n" +
        "Each input line is a JSON object with an op and an optional id (echoed as given). Each response is one line,\n" +
        "in the same order, flushed as soon as it is ready. Passwords: password (JSON string) or passwordUtf16Hex\n" +
        "(UTF-16LE code units in hex, for lone surrogates). Hex output is lowercase. Blank lines are skipped; a UTF-8\n" +
        "byte-order mark before the first line is ignored.\n\n" +
        "  {\"id\":1,\"op\":\"nthash\",\"password\":\"Password\"}            -> {\"id\":1,\"ntHash\":\"a4f4...\"}\n" +
        "  {\"id\":2,\"op\":\"lmhash\",\"password\":\"Password\"}            -> {\"id\":2,\"lmHash\":\"e52c...\"}\n" +
        "  {\"id\":3,\"op\":\"kerberos\",\"etype\":\"aes256-cts-hmac-sha1-96\",\"realm\":\"ADATUM.COM\",\"account\":\"April\",\"password\":\"Pa$$w0rd\"}\n" +
        "                                                            -> {\"id\":3,\"etype\":18,\"key\":\"3a3b...\",\"salt\":\"4144...\",\"iterations\":4096}\n" +
        "  {\"id\":4,\"op\":\"digest\",\"password\":\"Pa$$w0rd\",\"saltHex\":\"181a3024085fcee2f70e\"} -> {\"id\":4,\"digest\":\"v1;PPH1_MD4,...;\"}\n" +
        "  {\"id\":5,\"op\":\"verify\",\"password\":\"Pa$$w0rd\",\"digest\":\"v1;PPH1_MD4,...;\"} -> {\"id\":5,\"result\":\"success\"}\n\n" +
        "A line that cannot be answered gets {\"id\":...,\"error\":{\"code\":...,\"message\":...}} and the batch goes on.\n" +
        "Codes: invalid_json (id null), unknown_op, missing_field, invalid_value, no_lm_hash, over_budget (a request asks\n" +
        "for more string-to-key or PBKDF2 iterations than maxIterationsPerRequest).\n" +
        "Exit code 0 when every line was answered. See docs/batch.md for every field.\n";

    /// <inheritdoc />
    protected override void AddOptions(Command command) => command.Add(_settings);

    /// <inheritdoc />
    protected override int Execute(ParseResult result, CliContext context) => BatchExecutor.Run(result.GetValue(_settings), context);
}
