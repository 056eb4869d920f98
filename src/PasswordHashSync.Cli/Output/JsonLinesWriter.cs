using System.Text.Encodings.Web;
using System.Text.Json;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Cli.Output;

/// <summary>
/// One JSON object per line on a stream, the form of every pwsync records file (<c>sync --output</c>, the agent's
/// outbox, <c>replicate</c>): relaxed escaping so names stay readable, a newline after each object, and the fields the
/// record writers share (nullable strings, Kerberos keys as {etype, key, salt, iterations} in hex).
/// </summary>
internal sealed class JsonLinesWriter : IDisposable
{
    private readonly Stream _stream;

    /// <summary>Creates a writer over <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the JSON lines go; not disposed.</param>
    public JsonLinesWriter(Stream stream)
    {
        _stream = stream;
        Json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>The JSON writer of the current line.</summary>
    public Utf8JsonWriter Json { get; }

    /// <summary>Ends the current object's line: flushes it, writes the newline, and readies the writer for the next object.</summary>
    public void EndLine()
    {
        Json.Flush();
        _stream.WriteByte((byte)'\n');
        Json.Reset();
    }

    /// <summary>Writes <paramref name="value"/>, or JSON null when it is <see langword="null"/>.</summary>
    public void WriteNullable(string name, string? value)
    {
        if (value is null)
        {
            Json.WriteNull(name);
        }
        else
        {
            Json.WriteString(name, value);
        }
    }

    /// <summary>Writes the array <paramref name="name"/> of {etype, key, salt, iterations}, key and salt in lowercase hex.</summary>
    public void WriteKerberosKeys(string name, IEnumerable<KerberosKey> keys)
    {
        Json.WriteStartArray(name);
        foreach (KerberosKey key in keys)
        {
            Json.WriteStartObject();
            Json.WriteNumber("etype", (int)key.EncryptionType);
            Json.WriteString("key", Hex.Format(key.Key.Span));
            Json.WriteString("salt", Hex.Format(key.Salt.Span));
            Json.WriteNumber("iterations", key.IterationCount);
            Json.WriteEndObject();
        }

        Json.WriteEndArray();
    }

    /// <summary>Flushes and releases the JSON writer (not the stream).</summary>
    public void Dispose()
    {
        _stream.Flush();
        Json.Dispose();
    }
}
