using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using PasswordHashSync.Cli.Commands;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Cli.Batch;

/// <summary>
/// The JSON-lines contract: one request object per input line, one response object per output line, in order,
/// each echoing the request's <c>id</c>. A bad line gets an <c>error</c> response and processing continues.
/// </summary>
internal sealed class BatchProcessor : IDisposable
{
    /// <summary>The longest request line: 1 MiB.</summary>
    public const int MaxLineBytes = 1 << 20;

    private static readonly JsonDocumentOptions s_parseOptions = new() { MaxDepth = 16 };

    private readonly Stream _output;
    private readonly BatchSettings _settings;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates a processor writing to <paramref name="output"/>.</summary>
    /// <param name="output">Where responses go.</param>
    /// <param name="settings">The limits (default: <see cref="BatchSettings"/>'s defaults).</param>
    public BatchProcessor(Stream output, BatchSettings? settings = null)
    {
        _output = output;
        _settings = settings ?? new BatchSettings();
        // Relaxed escaping keeps messages readable ('field' rather than \u0027field\u0027); quotes and controls are still escaped.
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Disposes the JSON writer.</summary>
    public void Dispose() => _writer.Dispose();

    /// <summary>Answers every line of <paramref name="input"/>; blank lines are skipped.</summary>
    /// <param name="input">The request lines.</param>
    /// <returns>The number of responses written.</returns>
    public int Run(Stream input)
    {
        var reader = new BatchLineReader(input, MaxLineBytes);
        int answered = 0;
        while (reader.TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong))
        {
            if (tooLong)
            {
                WriteError(default, BatchErrorCodes.InvalidJson, $"the line is longer than {MaxLineBytes} bytes");
            }
            else if (IsBlank(line.Span))
            {
                continue;
            }
            else
            {
                Answer(line.Span);
                // The line may hold a password: wipe it in the reader's buffer.
                CryptographicOperations.ZeroMemory(MemoryMarshal.AsMemory(line).Span);
            }
            Flush();
            answered++;
        }
        return answered;
    }

    /// <summary>Answers one request line into the pending response.</summary>
    /// <param name="line">The UTF-8 line.</param>
    internal void Answer(ReadOnlySpan<byte> line)
    {
        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            WriteError(default, BatchErrorCodes.InvalidJson, "the line is not valid UTF-8");
            return;
        }
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = s_parseOptions.MaxDepth });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                document.Dispose();
                WriteError(default, BatchErrorCodes.InvalidJson, "the line holds more than one JSON value");
                return;
            }
        }
        catch (JsonException)
        {
            WriteError(default, BatchErrorCodes.InvalidJson, "the line is not valid JSON");
            return;
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                WriteError(default, BatchErrorCodes.InvalidJson, "the line must be a JSON object");
                return;
            }
            JsonElement id = root.TryGetProperty("id", out JsonElement given) ? given : default;
            var request = new BatchRequest(root);
            try
            {
                _writer.WriteStartObject();
                WriteId(id);
                Dispatch(request);
                _writer.WriteEndObject();
                _writer.Flush();
            }
            catch (BatchRequestException e)
            {
                Discard();
                WriteError(id, e.Code, e.Message);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                // A rule the library enforces that the request checks above did not: still one answer per line.
                // Library messages name the parameter and the rule, never a secret.
                Discard();
                WriteError(id, BatchErrorCodes.InvalidValue, e.Message);
            }
        }
    }

    private void Dispatch(BatchRequest request)
    {
        string op = request.RequireString("op");
        switch (op)
        {
            case "nthash":
                NtHashOp(request);
                break;
            case "lmhash":
                LmHashOp(request);
                break;
            case "kerberos":
                KerberosOp(request);
                break;
            case "digest":
                DigestOp(request);
                break;
            case "verify":
                VerifyOp(request);
                break;
            default:
                throw new BatchRequestException(BatchErrorCodes.UnknownOp, "op must be nthash, lmhash, kerberos, digest or verify");
        }
    }

    private void NtHashOp(BatchRequest request)
    {
        char[] password = request.RequirePassword();
        Span<byte> hash = stackalloc byte[NtHash.SizeInBytes];
        try
        {
            NtHash.Compute(password, hash);
            _writer.WriteString("ntHash", Hex.Format(hash));
        }
        finally
        {
            Array.Clear(password);
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    private void LmHashOp(BatchRequest request)
    {
        int codePage = request.GetInt32("oemCodePage", 1, 65535) ?? LmHash.DefaultOemCodePage;
        char[] password = request.RequirePassword();
        Span<byte> hash = stackalloc byte[LmHash.SizeInBytes];
        try
        {
            bool computed;
            try
            {
                computed = LmHash.TryCompute(password, codePage, hash, out _);
            }
            catch (ArgumentOutOfRangeException)
            {
                throw new BatchRequestException(BatchErrorCodes.InvalidValue, "field 'oemCodePage' is not an available code page");
            }
            if (!computed)
            {
                throw new BatchRequestException(BatchErrorCodes.NoLmHash, $"the password has no LM hash (longer than {LmHash.MaxPasswordBytes} bytes in code page {codePage}, or a character it cannot represent)");
            }
            _writer.WriteString("lmHash", Hex.Format(hash));
        }
        finally
        {
            Array.Clear(password);
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    private void KerberosOp(BatchRequest request)
    {
        string etypeText = request.GetStringOrNumber("etype")
            ?? throw new BatchRequestException(BatchErrorCodes.MissingField, "field 'etype' is required");
        if (!KerberosEncryptionTypes.TryParse(etypeText, out KerberosEncryptionType etype))
        {
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, "field 'etype' must be an MIT name (such as aes256-cts-hmac-sha1-96) or one of 1, 3, 17, 18, 19, 20, 23");
        }
        int? iterations = request.GetInt32("iterations", 1, KerberosCommand.MaxIterations);
        if (iterations is not null && !KerberosEncryptionTypes.UsesIterationCount(etype))
        {
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, $"field 'iterations' does not apply to {KerberosEncryptionTypes.GetName(etype)}");
        }
        CheckBudget(KerberosEncryptionTypes.UsesIterationCount(etype) ? iterations ?? KerberosEncryptionTypes.GetDefaultIterationCount(etype) : 0);
        byte[] salt = ResolveSalt(request, etype);
        char[] password = request.RequirePassword();
        Span<byte> key = stackalloc byte[KerberosKeyDerivation.MaxKeySize];
        try
        {
            int written = KerberosKeyDerivation.DeriveKey(etype, password, salt, key, iterations);
            bool rc4 = etype == KerberosEncryptionType.Rc4Hmac;
            _writer.WriteNumber("etype", (int)etype);
            _writer.WriteString("key", Hex.Format(key[..written]));
            _writer.WriteString("salt", rc4 ? string.Empty : Hex.Format(salt));
            _writer.WriteNumber("iterations", KerberosEncryptionTypes.UsesIterationCount(etype) ? iterations ?? KerberosEncryptionTypes.GetDefaultIterationCount(etype) : 0);
        }
        finally
        {
            Array.Clear(password);
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private void CheckBudget(int iterations)
    {
        // Checked before any password is read or key derived: the refusal costs nothing (issue 13, item 8).
        if (iterations > _settings.MaxIterationsPerRequest)
        {
            throw new BatchRequestException(BatchErrorCodes.OverBudget, $"the request asks for {iterations} iterations, more than the batch allows per request ({_settings.MaxIterationsPerRequest}; setting maxIterationsPerRequest)");
        }
    }

    private static byte[] ResolveSalt(BatchRequest request, KerberosEncryptionType etype)
    {
        int given = (request.Has("salt") ? 1 : 0) + (request.Has("saltHex") ? 1 : 0) + (request.Has("account") ? 1 : 0);
        if (given > 1)
        {
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, "give one of salt, saltHex, or realm + account, not several");
        }
        byte[]? salt = request.GetUtf8("salt") ?? request.GetHex("saltHex", 0, SaltOptions.MaxSaltBytes);
        if (salt is not null)
        {
            if (salt.Length > SaltOptions.MaxSaltBytes)
            {
                throw new BatchRequestException(BatchErrorCodes.InvalidValue, $"field 'salt' must be at most {SaltOptions.MaxSaltBytes} bytes");
            }
            return salt;
        }
        if (!request.Has("account"))
        {
            if (etype == KerberosEncryptionType.Rc4Hmac)
            {
                return [];
            }
            throw new BatchRequestException(BatchErrorCodes.MissingField, "field 'salt' (or 'saltHex', or 'realm' + 'account') is required");
        }
        string account = request.RequireString("account");
        string realm = request.RequireString("realm");
        string typeText = request.GetString("accountType") ?? "user";
        KerberosAccountType type = SaltOptions.ParseAccountType(typeText)
            ?? throw new BatchRequestException(BatchErrorCodes.InvalidValue, "field 'accountType' must be user, computer or trust");
        try
        {
            return KerberosSalt.For(type, realm, account);
        }
        catch (ArgumentException)
        {
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, "fields 'realm' and 'account' must not be empty (nor the account just '$')");
        }
    }

    private void DigestOp(BatchRequest request)
    {
        int iterations = request.GetInt32("iterations", 1, DigestCommand.MaxIterations) ?? SaltedDigest.DefaultIterationCount;
        CheckBudget(iterations);
        byte[] salt = request.GetHex("saltHex", 1, SaltedDigest.MaxSaltSize) ?? RandomNumberGenerator.GetBytes(SaltedDigest.SaltSize);
        byte[] ntHash = RequireNtHash(request);
        try
        {
            _writer.WriteString("digest", SaltedDigest.FromNtHash(ntHash, salt, iterations).ToWireString());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ntHash);
        }
    }

    private void VerifyOp(BatchRequest request)
    {
        string digest = request.RequireString("digest");
        if (!SaltedDigest.TryParse(digest, out _, out string? error))
        {
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, $"field 'digest' is not a valid digest: {error}");
        }
        byte[] ntHash = RequireNtHash(request);
        try
        {
            DigestVerificationResult result = SaltedDigestVerifier.Default.VerifyNtHash(ntHash, digest);
            _writer.WriteString("result", VerifyExecutor.StatusName(result.Status));
            if (result.Failure == DigestVerificationFailure.IterationCountAboveLimit)
            {
                _writer.WriteString("reason", "iterationCountAboveLimit");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ntHash);
        }
    }

    private static byte[] RequireNtHash(BatchRequest request)
    {
        byte[]? ntHash = request.GetHex("ntHash", NtHash.SizeInBytes, NtHash.SizeInBytes);
        char[]? password = request.GetPassword();
        if (ntHash is not null && password is not null)
        {
            Array.Clear(password);
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, "give a password or an ntHash, not both");
        }
        if (ntHash is not null)
        {
            return ntHash;
        }
        if (password is null)
        {
            throw new BatchRequestException(BatchErrorCodes.MissingField, "field 'password' (or 'passwordUtf16Hex' or 'ntHash') is required");
        }
        try
        {
            byte[] hash = new byte[NtHash.SizeInBytes];
            NtHash.Compute(password, hash);
            return hash;
        }
        finally
        {
            Array.Clear(password);
        }
    }

    private void WriteId(JsonElement id)
    {
        _writer.WritePropertyName("id");
        if (id.ValueKind == JsonValueKind.Undefined)
        {
            _writer.WriteNullValue();
        }
        else
        {
            id.WriteTo(_writer);
        }
    }

    private void WriteError(JsonElement id, string code, string message)
    {
        _writer.WriteStartObject();
        WriteId(id);
        _writer.WriteStartObject("error");
        _writer.WriteString("code", code);
        _writer.WriteString("message", message);
        _writer.WriteEndObject();
        _writer.WriteEndObject();
        _writer.Flush();
    }

    private void Discard()
    {
        // Drop a half-written response; every response starts on an empty buffer.
        _writer.Reset();
        _buffer.ResetWrittenCount();
    }

    private void Flush()
    {
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        _output.Write(_buffer.WrittenSpan);
        _output.Flush();
        _buffer.ResetWrittenCount();
        _writer.Reset();
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }
        return true;
    }
}
