using System.Text;
using System.Text.Json;

namespace PasswordHashSync.UnitTests.Vectors;

/// <summary>One entry of public-vectors.json, with the input fields decoded the way its notes prescribe.</summary>
public sealed class PublicVector
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly JsonElement _entry;

    internal PublicVector(int index, JsonElement entry)
    {
        Index = index;
        _entry = entry;
    }

    /// <summary>Position in the file (0-based), used as the theory's data so each entry is its own test case.</summary>
    public int Index { get; }

    public string Algorithm => GetString("algorithm") ?? throw new InvalidDataException($"Vector {Index} has no algorithm.");

    public string Source => GetString("source") ?? "";

    public string Notes => GetString("notes") ?? "";

    public byte[] Expected => Convert.FromHexString(GetString("expected_hex") ?? throw new InvalidDataException($"Vector {Index} has no expected_hex."));

    public int? Iterations => _entry.TryGetProperty("iterations", out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    public bool Flag(string name) => _entry.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;

    public string? GetString(string name) =>
        _entry.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public byte[]? GetHex(string name) => GetString(name) is string hex ? Convert.FromHexString(hex) : null;

    public int GetInt(string name) => _entry.GetProperty(name).GetInt32();

    /// <summary>
    /// True when the password is given as raw UTF-16LE code units (gMSA/machine style, possibly with lone surrogates),
    /// as opposed to text (<c>password</c>) or UTF-8 bytes (<c>password_hex</c> without an encoding note).
    /// </summary>
    public bool PasswordIsRawUtf16 =>
        GetString("password_hex") is not null &&
        (GetString("password_encoding") ?? "").Contains("UTF-16LE", StringComparison.OrdinalIgnoreCase);

    /// <summary>The raw UTF-16LE password bytes (only when <see cref="PasswordIsRawUtf16"/>).</summary>
    public byte[] PasswordUtf16Bytes =>
        PasswordIsRawUtf16 ? GetHex("password_hex")! : throw new InvalidOperationException($"Vector {Index} has no raw UTF-16LE password.");

    /// <summary>
    /// The password as text. <c>password_hex</c> without a UTF-16 encoding note is UTF-8 (RFC 3961/3962 print the
    /// g-clef U+1D11E as f09d849e and eszett as c39f); it is decoded strictly so a bad file fails loudly.
    /// </summary>
    public string PasswordText
    {
        get
        {
            if (PasswordIsRawUtf16)
            {
                throw new InvalidOperationException($"Vector {Index} has a raw UTF-16LE password; use {nameof(PasswordUtf16Bytes)}.");
            }

            if (GetString("password") is string text)
            {
                return text;
            }

            return GetHex("password_hex") is byte[] utf8
                ? StrictUtf8.GetString(utf8)
                : throw new InvalidDataException($"Vector {Index} has no password.");
        }
    }

    /// <summary>The password bytes a PBKDF2 intermediate is computed over (UTF-8 of the text, or the given UTF-8 bytes).</summary>
    public byte[] PasswordUtf8Bytes =>
        GetString("password") is string text ? Encoding.UTF8.GetBytes(text) : GetHex("password_hex") ?? throw new InvalidDataException($"Vector {Index} has no password.");

    /// <summary>The salt bytes: <c>salt_hex</c>, else UTF-8 of <c>salt</c>, else empty (null salt).</summary>
    public byte[] Salt => GetHex("salt_hex") ?? (GetString("salt") is string text ? Encoding.UTF8.GetBytes(text) : []);

    public override string ToString() => $"#{Index} {Algorithm}";
}
