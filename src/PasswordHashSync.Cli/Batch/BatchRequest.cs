using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Input;

namespace PasswordHashSync.Cli.Batch;

/// <summary>Typed access to the fields of one request object; every problem becomes a <see cref="BatchRequestException"/>.</summary>
internal readonly struct BatchRequest
{
    private readonly JsonElement _root;

    /// <summary>Wraps a request object.</summary>
    /// <param name="root">The parsed object.</param>
    public BatchRequest(JsonElement root) => _root = root;

    /// <summary>Whether the field is present and not null.</summary>
    /// <param name="name">The field.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool Has(string name) => _root.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A required string field.</summary>
    /// <param name="name">The field.</param>
    /// <returns>The string.</returns>
    public string RequireString(string name) =>
        GetString(name) ?? throw new BatchRequestException(BatchErrorCodes.MissingField, $"field '{name}' is required");

    /// <summary>An optional string field.</summary>
    /// <param name="name">The field.</param>
    /// <returns>The string, or <see langword="null"/> when absent.</returns>
    public string? GetString(string name)
    {
        if (!_root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, $"field '{name}' must be a string");
        }
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses escapes that decode to a lone surrogate.
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, $"field '{name}' is not valid UTF-16 text (give a password with lone surrogates as passwordUtf16Hex)");
        }
    }

    /// <summary>An optional integer field within bounds.</summary>
    /// <param name="name">The field.</param>
    /// <param name="minimum">The smallest allowed value.</param>
    /// <param name="maximum">The largest allowed value.</param>
    /// <returns>The value, or <see langword="null"/> when absent.</returns>
    public int? GetInt32(string name, int minimum, int maximum)
    {
        if (!_root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number) || number < minimum || number > maximum)
        {
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, $"field '{name}' must be an integer from {minimum} to {maximum}");
        }
        return number;
    }

    /// <summary>An optional hex field of bounded length.</summary>
    /// <param name="name">The field.</param>
    /// <param name="minBytes">The smallest byte length.</param>
    /// <param name="maxBytes">The largest byte length.</param>
    /// <returns>The bytes, or <see langword="null"/> when absent.</returns>
    public byte[]? GetHex(string name, int minBytes, int maxBytes)
    {
        string? text = GetString(name);
        if (text is null)
        {
            return null;
        }
        try
        {
            return Hex.Parse(text, $"field '{name}'", minBytes, maxBytes);
        }
        catch (DataException e)
        {
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, e.Message);
        }
    }

    /// <summary>
    /// The password, from <c>password</c> (a JSON string) or <c>passwordUtf16Hex</c> (UTF-16LE code units, exact,
    /// lone surrogates included). The caller clears the returned array.
    /// </summary>
    /// <returns>The password's UTF-16 code units, or <see langword="null"/> when neither field is present.</returns>
    public char[]? GetPassword()
    {
        bool hasText = Has("password");
        bool hasHex = Has("passwordUtf16Hex");
        if (hasText && hasHex)
        {
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, "give password or passwordUtf16Hex, not both");
        }
        if (hasText)
        {
            return CopyPasswordText("password");
        }
        if (!hasHex)
        {
            return null;
        }
        byte[] bytes = GetHex("passwordUtf16Hex", 0, int.MaxValue / 2)!;
        try
        {
            if (bytes.Length % 2 != 0)
            {
                throw new BatchRequestException(BatchErrorCodes.InvalidValue, "field 'passwordUtf16Hex' must hold whole UTF-16 code units (a multiple of 4 hex digits)");
            }
            char[] chars = GC.AllocateArray<char>(bytes.Length / 2, pinned: true);
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)(bytes[2 * i] | (bytes[(2 * i) + 1] << 8));
            }
            return chars;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// A string field unescaped straight into a pinned array, never through a <see cref="string"/>: a string cannot be
    /// wiped, and a compacting GC moves it (and an ordinary array) leaving the old bytes behind; measured by
    /// Hostile/ChildProcessSecretScanTests (5,000 requests left 4,490 copies of the password before).
    /// </summary>
    /// <param name="name">The field, present and not null.</param>
    /// <returns>The code units in a pinned array; the caller clears it.</returns>
    private char[] CopyPasswordText(string name)
    {
        JsonElement value = _root.GetProperty(name);
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, $"field '{name}' must be a string");
        }

        // The raw token (quotes and escapes included) is never shorter than its unescaped code units.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value);
        var reader = new Utf8JsonReader(raw);
        _ = reader.Read();
        char[] scratch = GC.AllocateArray<char>(raw.Length, pinned: true);
        try
        {
            int written = reader.CopyString(scratch);
            char[] password = GC.AllocateArray<char>(written, pinned: true);
            scratch.AsSpan(0, written).CopyTo(password);
            return password;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses escapes that decode to a lone surrogate.
            throw new BatchRequestException(BatchErrorCodes.InvalidValue, $"field '{name}' is not valid UTF-16 text (give a password with lone surrogates as passwordUtf16Hex)");
        }
        finally
        {
            Array.Clear(scratch);
        }
    }

    /// <summary>The password, required.</summary>
    /// <returns>The code units; the caller clears them.</returns>
    public char[] RequirePassword() =>
        GetPassword() ?? throw new BatchRequestException(BatchErrorCodes.MissingField, "field 'password' (or 'passwordUtf16Hex') is required");

    /// <summary>A field that may be a string or a number, as text (for etype).</summary>
    /// <param name="name">The field.</param>
    /// <returns>The text, or <see langword="null"/> when absent.</returns>
    public string? GetStringOrNumber(string name)
    {
        if (!_root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => GetString(name),
            JsonValueKind.Number when value.TryGetInt32(out int number) => number.ToString(CultureInfo.InvariantCulture),
            _ => throw new BatchRequestException(BatchErrorCodes.InvalidValue, $"field '{name}' must be a string or an integer"),
        };
    }

    /// <summary>UTF-8 bytes of a string field.</summary>
    /// <param name="name">The field.</param>
    /// <returns>The bytes, or <see langword="null"/>.</returns>
    public byte[]? GetUtf8(string name) => GetString(name) is string text ? Encoding.UTF8.GetBytes(text) : null;
}
